using System.Text.Json;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Where one executing run's boundaries go. A run read from the journal is written boundary by
/// boundary. A run started in memory stays there until an activity needs it on disk
/// (<see cref="WriteAheadAsync"/>); if it ends first, it is handed to the journal to be written
/// behind its answer.
/// </summary>
internal sealed class RunRecording
{
    private readonly WorkflowJournal _journal;
    private readonly WorkflowDefinition _definition;
    private readonly WorkflowRun _created;

    /// <summary>The run as it stands while it is only in memory; null once it is written.</summary>
    private List<WorkflowRunStep>? _steps;
    private RunEnd? _end;

    private RunRecording(WorkflowJournal journal, WorkflowDefinition definition, WorkflowRun created, bool written)
    {
        _journal = journal;
        _definition = definition;
        _created = created;
        _steps = written ? null : [];
    }

    public string RunId => _created.Id;

    public JsonElement Input => _created.Input;

    /// <summary>A run the journal already holds.</summary>
    public static RunRecording Written(WorkflowJournal journal, WorkflowDefinition definition, WorkflowRun run) => new(journal, definition, run, written: true);

    /// <summary>A new run, in memory only until an activity needs it on disk.</summary>
    public static RunRecording InMemory(WorkflowJournal journal, WorkflowDefinition definition, string runId, string origin, JsonElement input, DateTimeOffset createdAt) =>
        new(journal, definition, new WorkflowRun(runId, definition.Id, definition.Version, definition.ContentHash, RunStatus.Pending, origin, input, null, null, Stored(createdAt), null, []), written: false);

    public Task BeginFirstStepAsync(StepStart start, CancellationToken cancellationToken)
    {
        if (_steps is null)
        {
            return _journal.BeginStepAsync(RunId, start, restart: false, cancellationToken);
        }

        _steps.Add(Opened(start));
        return Task.CompletedTask;
    }

    /// <summary>Puts the run on disk if it is only in memory, so that a crash from here on resumes it.</summary>
    public async Task WriteAheadAsync(CancellationToken cancellationToken)
    {
        if (_steps is null)
        {
            return;
        }

        await _journal.WriteAsync(_definition, Snapshot(), cancellationToken).ConfigureAwait(false);
        _steps = null;
    }

    public Task EndStepAsync(StepEnd end, StepStart? next, RunEnd? runEnd, CancellationToken cancellationToken)
    {
        if (_steps is null)
        {
            return _journal.EndStepAsync(RunId, end, next, runEnd, cancellationToken);
        }

        var index = _steps.FindIndex(s => s.Sequence == end.Sequence);
        _steps[index] = _steps[index] with { EndedAt = Stored(end.EndedAt), Outcome = end.Outcome, Output = end.Output, Error = end.Error };
        if (next is not null)
        {
            _steps.Add(Opened(next));
        }

        _end = runEnd;
        return Task.CompletedTask;
    }

    /// <summary>The ended run with its history: read back from the journal, or queued to be written behind.</summary>
    public async Task<WorkflowRun> FinishAsync(CancellationToken cancellationToken)
    {
        if (_steps is null)
        {
            return (await _journal.GetRunAsync(RunId, cancellationToken).ConfigureAwait(false))!;
        }

        var run = Snapshot();
        _journal.WriteBehind(_definition, run);
        return run;
    }

    private WorkflowRun Snapshot() => _created with
    {
        Status = _end?.Status ?? RunStatus.Running,
        Reason = _end?.Reason,
        Message = _end?.Message,
        EndedAt = _end is { } end ? Stored(end.EndedAt) : null,
        Steps = [.. _steps!],
    };

    private static WorkflowRunStep Opened(StepStart start) =>
        new(start.Sequence, start.ActivityId, start.ActivityType, 1, Stored(start.StartedAt), null, null, null, null);

    /// <summary>A time as the journal keeps it (whole milliseconds), so that the run answered equals the run read back.</summary>
    private static DateTimeOffset Stored(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
