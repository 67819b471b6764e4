using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>
/// Removes an image from the engine the only safe way: by its names, one at a time, in a
/// stable order, never by engine id (ids are shared between releases and services) and never
/// with force. Only the names this image has (<c>repo:tag</c>, <c>repo@digest</c>) are candidates,
/// and a name that another recorded image still needs is kept. A name already gone counts as
/// removed; any other error stops the removal and fails the run, so the row stays.
/// </summary>
[Description("Removes the engine names (tag, digest) of an image one at a time, keeping any that another recorded image needs.")]
public sealed class RemoveImageTags(IDockerEngine engine, ImageStore store) : ImageActivity<ImageRecordInput, RemoveImageTags.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(ImageRecordInput input, ImageReference reference, ActivityContext context, CancellationToken cancellationToken)
    {
        var ownName = reference.ToString();
        var neededByOthers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var isThis = other.Name == ownName && other.AppUuid == input.AppUuid && other.ServiceName == input.ServiceName && other.Commit == input.Commit;
            if (!isThis && ImageReference.TryParse(other.Name, out var otherReference))
            {
                neededByOthers.UnionWith(EngineNames(otherReference));
            }
        }

        var ownNames = EngineNames(reference);
        var onEngine = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in await engine.ListImagesAsync(reference.Repository, cancellationToken).ConfigureAwait(false))
        {
            onEngine.UnionWith(image.RepoTags.Concat(image.RepoDigests).Where(ownNames.Contains));
        }

        var kept = onEngine.Where(neededByOthers.Contains).Order(StringComparer.Ordinal).ToList();
        var removed = new List<string>();
        var alreadyGone = new List<string>();
        foreach (var name in onEngine.Except(neededByOthers).Order(StringComparer.Ordinal))
        {
            try
            {
                await engine.RemoveImageTagAsync(name, cancellationToken).ConfigureAwait(false);
                removed.Add(name);
            }
            catch (EngineNotFoundException)
            {
                alreadyGone.Add(name);
            }
            catch (EngineException ex) when (ex is not EngineUnreachableException)
            {
                return Fail("RemoveFailed", $"Removing {name} failed, so the record of {ownName} stays: {ex.Message}");
            }
        }

        return Completed(new Output { Removed = removed, AlreadyGone = alreadyGone, KeptForOthers = kept });
    }

    /// <summary>The names the engine knows an image by, as the target names it.</summary>
    private static HashSet<string> EngineNames(ImageReference reference)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (reference.TagName is { } tag)
        {
            names.Add(tag);
        }

        if (reference.HasDigest)
        {
            names.Add(reference.PullName);
        }

        return names;
    }

    public sealed record Output
    {
        public IReadOnlyList<string> Removed { get; init; } = [];

        [Description("Names that were gone already (counted as removed).")]
        public IReadOnlyList<string> AlreadyGone { get; init; } = [];

        [Description("Names left in place because another recorded image needs them.")]
        public IReadOnlyList<string> KeptForOthers { get; init; } = [];
    }
}
