using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>
/// Compares the image store with the engine and repairs the drift: rows whose image is gone are
/// dropped; recorded images whose tag was removed, or moved to another image, behind the
/// supervisor's back are tagged again from their digest; images with no name at all (no tag, no
/// digest) that no row records are removed. Images under names the supervisor does not record are never touched. One listing of
/// the engine serves the whole comparison; only repairs call the engine again.
/// </summary>
[Description("Compares recorded images with the engine and repairs the drift.")]
public sealed partial class CheckupImages(IDockerEngine engine, ImageStore store, ILogger<CheckupImages> logger) : WorkflowActivity<NoInput, CheckupImages.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(NoInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var images = await engine.ListImagesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var index = new EngineImageIndex(images);

        var rows = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var drop = new HashSet<long>();
        var retagged = new List<string>();
        var failures = new List<string>();
        foreach (var row in rows)
        {
            if (!ImageReference.TryParse(row.Name, out var reference))
            {
                LogUnreadableRow(logger, row.Id, row.Name);
                drop.Add(row.Id);
                continue;
            }

            var tagName = reference.TagName;
            var image = index.Find(reference, row.DockerImageId);
            if (image is null)
            {
                LogDropped(logger, row.Name, row.ServiceName, row.Commit);
                drop.Add(row.Id);
                continue;
            }

            if (tagName is not null && !image.RepoTags.Contains(tagName))
            {
                var source = reference.HasDigest && image.RepoDigests.Contains(reference.PullName) ? reference.PullName : image.Id;
                try
                {
                    await engine.TagImageAsync(source, reference.Repository, reference.HasTag ? reference.Tag : "latest", cancellationToken).ConfigureAwait(false);
                    index.AddName(tagName, image);
                    retagged.Add(tagName);
                    LogRetagged(logger, tagName, source);
                }
                catch (EngineException ex) when (ex is not EngineUnreachableException)
                {
                    failures.Add($"tag {tagName}: {ex.Message}");
                }
            }
        }

        var dropped = await store.DeleteAsync(drop, cancellationToken).ConfigureAwait(false);

        var recordedIds = rows.Where(r => !drop.Contains(r.Id) && r.DockerImageId is not null).Select(r => r.DockerImageId!).ToHashSet(StringComparer.Ordinal);
        var danglingRemoved = new List<string>();
        foreach (var image in images.Where(i => i.RepoTags.Count == 0 && i.RepoDigests.Count == 0 && !recordedIds.Contains(i.Id)))
        {
            try
            {
                // A nameless image can only be named by its id; nothing else can share a name it does not have.
                await engine.RemoveImageTagAsync(image.Id, cancellationToken).ConfigureAwait(false);
                danglingRemoved.Add(image.Id);
                LogDanglingRemoved(logger, image.Id);
            }
            catch (EngineNotFoundException)
            {
                // Gone already.
            }
            catch (EngineException ex) when (ex is not EngineUnreachableException)
            {
                failures.Add($"remove dangling {image.Id}: {ex.Message}");
            }
        }

        return Completed(new Output
        {
            RecordsChecked = rows.Count,
            RecordsDropped = dropped,
            Retagged = retagged,
            DanglingRemoved = danglingRemoved,
            Failures = failures,
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkup: dropped the record of {Image} ({Service}, {Commit}): the engine no longer has it")]
    private static partial void LogDropped(ILogger logger, string image, string service, string commit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkup: dropped record {Id}: its image name {Image} does not parse")]
    private static partial void LogUnreadableRow(ILogger logger, long id, string image);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkup: tagged {TagName} again from {Source}: the tag had been removed")]
    private static partial void LogRetagged(ILogger logger, string tagName, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkup: removed dangling image {Id}, which nothing names or records")]
    private static partial void LogDanglingRemoved(ILogger logger, string id);

    public sealed record Output
    {
        public int RecordsChecked { get; init; }

        [Description("Rows dropped because the engine no longer has their image.")]
        public int RecordsDropped { get; init; }

        [Description("Tags put back on recorded images.")]
        public IReadOnlyList<string> Retagged { get; init; } = [];

        [Description("Ids of nameless, unrecorded images removed.")]
        public IReadOnlyList<string> DanglingRemoved { get; init; } = [];

        [Description("Repairs that failed, with the engine's reason; the next checkup tries again.")]
        public IReadOnlyList<string> Failures { get; init; } = [];
    }
}
