using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>
/// Records a supervised image, only after confirming that the engine holds it under the name
/// the target gives it: an interrupted or failed fetch therefore never leaves a row behind.
/// </summary>
[Description("Records the image for its app, service and release, once the engine holds it under its name.")]
public sealed class PersistImage(IDockerEngine engine, ImageStore store) : ImageActivity<PersistImage.Input, PersistImage.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ImageReference reference, ActivityContext context, CancellationToken cancellationToken)
    {
        var name = reference.TagName ?? reference.PullName;
        EngineImage present;
        try
        {
            present = await engine.InspectImageAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineNotFoundException)
        {
            return Fail("NotFound", $"Not recording {reference}: the engine has no image named {name}. Fetch and tag it first.");
        }

        var record = await store.RecordAsync(
            new ImageRecord(0, reference.ToString(), input.AppUuid, input.ServiceName, input.Commit, present.Id, default,
                input.AppId, input.ServiceId, input.ImageId, input.ReleaseId),
            cancellationToken).ConfigureAwait(false);
        return Completed(new Output { RecordId = record.Id, DockerImageId = present.Id });
    }

    public sealed record Input : ImageRecordInput
    {
        [Description("Legacy numeric ids from the target state, kept for the v1/v2 API only.")]
        public long? AppId { get; init; }

        public long? ServiceId { get; init; }

        public long? ImageId { get; init; }

        public long? ReleaseId { get; init; }
    }

    public sealed record Output
    {
        public long RecordId { get; init; }

        public string? DockerImageId { get; init; }
    }
}
