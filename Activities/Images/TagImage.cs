using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>
/// Tags a fetched image with the name the target gives it (<c>repo:tag</c>), because images are
/// known by their tags, never by their engine ids. An image named by digest alone needs no tag.
/// Tagging again is harmless.
/// </summary>
[Description("Tags the fetched image repo:tag (nothing to do when the target names it by digest alone).")]
public sealed class TagImage(IDockerEngine engine) : ImageActivity<ImageInput, TagImage.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(ImageInput input, ImageReference reference, ActivityContext context, CancellationToken cancellationToken)
    {
        if (reference.TagName is not { } tagName)
        {
            return Completed(new Output { Tagged = false });
        }

        try
        {
            await engine.TagImageAsync(reference.PullName, reference.Repository, reference.HasTag ? reference.Tag : "latest", cancellationToken).ConfigureAwait(false);
        }
        catch (EngineNotFoundException)
        {
            return Fail("NotFound", $"Cannot tag {tagName}: {reference.PullName} is not on the engine. Fetch it first.");
        }

        return Completed(new Output { Tagged = true, TagName = tagName });
    }

    public sealed record Output
    {
        public bool Tagged { get; init; }

        public string? TagName { get; init; }
    }
}
