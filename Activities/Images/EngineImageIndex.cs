using Supervisor.Activities.Engine;

namespace Supervisor.Activities.Images;

/// <summary>
/// One engine listing, looked up by name and id. It finds the engine image a reference names the
/// way the supervisor identifies images: by digest when the reference has one (a tag is only a
/// name, which may have been moved to another image behind the supervisor's back), else by tag,
/// and by the engine id recorded at download as a last resort.
/// </summary>
public sealed class EngineImageIndex
{
    private readonly Dictionary<string, EngineImage> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EngineImage> _byId = new(StringComparer.Ordinal);

    public EngineImageIndex(IEnumerable<EngineImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        foreach (var image in images)
        {
            _byId[image.Id] = image;
            foreach (var name in image.RepoTags.Concat(image.RepoDigests))
            {
                _byName[name] = image;
            }
        }
    }

    public EngineImage? Find(ImageReference reference, string? dockerImageId = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var byName = reference.HasDigest
            ? _byName.GetValueOrDefault(reference.PullName)
            : reference.TagName is { } tag ? _byName.GetValueOrDefault(tag) : null;
        return byName ?? (dockerImageId is not null ? _byId.GetValueOrDefault(dockerImageId) : null);
    }

    /// <summary>Notes a name given to an image after the listing (a tag put back by a checkup).</summary>
    public void AddName(string name, EngineImage image) => _byName[name] = image;
}
