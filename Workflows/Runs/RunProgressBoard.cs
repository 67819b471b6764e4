using System.Collections.Concurrent;
using System.Text.Json;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// The latest progress each running activity reported (a download's percentage, say), kept in
/// memory only: progress changes many times a second and is worthless after a restart, so it
/// never touches the journal.
/// </summary>
public sealed class RunProgressBoard
{
    private readonly ConcurrentDictionary<string, RunProgress> _runs = new(StringComparer.Ordinal);

    public RunProgress? Find(string runId) => _runs.GetValueOrDefault(runId);

    public IProgress<object> For(string runId, string activityId, TimeProvider time) =>
        new Reporter(this, runId, activityId, time);

    public void Clear(string runId) => _runs.TryRemove(runId, out _);

    private sealed class Reporter(RunProgressBoard board, string runId, string activityId, TimeProvider time) : IProgress<object>
    {
        public void Report(object value) =>
            board._runs[runId] = new RunProgress(activityId, JsonSerializer.SerializeToElement(value, WorkflowJson.Options), time.GetUtcNow());
    }
}
