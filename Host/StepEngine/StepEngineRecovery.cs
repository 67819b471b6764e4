using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Jobs;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// Once the servers run: resumes inline runs a crash interrupted (background runs come back with
/// their requeued jobs; runs whose job is gone are ended by <see cref="StrandedRunSweeper"/>), registers the definitions' schedules as recurring jobs, starts the runs
/// marked to run at startup, and watches the definitions folder for edits.
/// </summary>
public sealed partial class StepEngineRecovery(
    WorkflowJournal journal,
    WorkflowCatalog catalog,
    ScheduleRegistrar schedules,
    WorkflowScheduler scheduler,
    StrandedRunSweeper strandedRuns,
    ILogger<StepEngineRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runId in await journal.ListUnfinishedInlineRunIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            var run = await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            scheduler.EnqueueResume(runId, run!.WorkflowId);
            strandedRuns.Resumed(runId);
            LogResuming(logger, runId, run.WorkflowId);
        }

        schedules.Synchronise(catalog.All);
        foreach (var definition in catalog.All.Where(d => d.Trigger?.Schedule?.RunAtStartup == true))
        {
            scheduler.Enqueue(definition.Id, definition.Trigger!.Schedule!.Input ?? default, "startup");
        }

        catalog.Changed += (_, _) => schedules.Synchronise(catalog.All);
        catalog.Watch();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming run {RunId} of {WorkflowId}, interrupted by a restart")]
    private static partial void LogResuming(ILogger logger, string runId, string workflowId);
}
