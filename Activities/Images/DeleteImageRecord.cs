using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>Deletes an image's row once its tags are gone; a row already gone is fine.</summary>
[Description("Deletes the image's row for its app, service and release.")]
public sealed class DeleteImageRecord(ImageStore store) : ImageActivity<ImageRecordInput, DeleteImageRecord.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(ImageRecordInput input, ImageReference reference, ActivityContext context, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(reference.ToString(), input.AppUuid, input.ServiceName, input.Commit, cancellationToken).ConfigureAwait(false);
        return Completed(new Output { Deleted = deleted });
    }

    public sealed record Output
    {
        [Description("False when the row was already gone.")]
        public bool Deleted { get; init; }
    }
}
