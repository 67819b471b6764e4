using System.Text.Json;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Target;
using Supervisor.Workflows.Runs;

namespace Supervisor.Reconciler.Reporting;

/// <summary>
/// Gathers the parts of a <see cref="DeviceStateView"/>: the accepted target, the supervised containers and image
/// rows, the reconcile loop's snapshot, and the progress each running fetch reported (a fetch job's run is found
/// in the journal, its progress on the in-memory board). Only reads.
/// </summary>
public sealed class DeviceStateReader(
    TargetStateStore targets,
    CurrentStateReader currentState,
    ApplyStatus apply,
    WorkflowJournal journal,
    RunProgressBoard progress)
{
    /// <summary>The target as accepted (null before any) and the view; throws an <c>EngineException</c> when the engine cannot be read.</summary>
    public async Task<(StoredTargetState? Target, DeviceStateView View)> ReadAsync(CancellationToken cancellationToken = default)
    {
        var stored = await targets.GetAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = apply.Current;
        var current = await currentState.ReadAsync(stored?.State, cancellationToken).ConfigureAwait(false);

        var downloads = new List<ImageDownload>();
        foreach (var fetch in snapshot.Fetches)
        {
            downloads.Add(await DownloadAsync(fetch, cancellationToken).ConfigureAwait(false));
        }

        // Read after the target, the snapshot can only be newer: a target seen here as pending may already be
        // planned (then the snapshot says so), never the other way round.
        var pending = stored is not null && stored.Revision > snapshot.PlannedRevision;
        return (stored, DeviceStateView.Build(stored?.State, current, snapshot, downloads, pending, keepVolumes: stored?.IsLocal == true));
    }

    /// <summary>A fetch whose job has not started its run yet, or whose run has not reported, is at 0 %.</summary>
    private async Task<ImageDownload> DownloadAsync(FetchInProgress fetch, CancellationToken cancellationToken)
    {
        var runId = await journal.FindRunByJobAsync(fetch.JobId, cancellationToken).ConfigureAwait(false);
        var reported = runId is null ? null : progress.Find(runId);
        var value = reported?.Value;
        return new ImageDownload(
            fetch.AppUuid,
            fetch.ServiceName,
            fetch.Commit,
            fetch.Image,
            Number(value, "percent") is { } percent ? (int)Math.Clamp(percent, 0, 100) : 0,
            Number(value, "downloadedBytes"),
            Number(value, "totalBytes"));
    }

    private static long? Number(JsonElement? value, string name) =>
        value is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var number) ? number : null;
}
