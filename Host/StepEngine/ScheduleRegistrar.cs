using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Jobs;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// Keeps one Hangfire recurring job per scheduled definition (<c>workflow:ID</c>), and removes
/// the recurring jobs of definitions that no longer have a schedule.
/// </summary>
public sealed partial class ScheduleRegistrar(IRecurringJobManager recurring, JobStorage storage, IOptions<JobOptions> options, ILogger<ScheduleRegistrar> logger)
{
    private const string Prefix = "workflow:";

    public void Synchronise(IEnumerable<WorkflowDefinition> definitions)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (definition.Trigger?.Schedule is not { } schedule)
            {
                continue;
            }

            var id = Prefix + definition.Id;
            wanted.Add(id);
            var input = WorkflowScheduler.InputText(schedule.Input ?? default);
            var workflowId = definition.Id;
            var job = Job.FromExpression<WorkflowJob>(j => j.StartAsync(workflowId, input, "schedule", null, CancellationToken.None), definition.Queue);
            recurring.AddOrUpdate(id, job, CronOf(schedule), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            var polling = options.Value.SchedulePollingInterval;
            if (schedule.Interval is { } interval && interval < polling)
            {
                LogTooFrequent(logger, definition.Id, interval, polling);
            }
        }

        using var connection = storage.GetConnection();
        foreach (var existing in connection.GetRecurringJobs().Where(j => j.Id.StartsWith(Prefix, StringComparison.Ordinal) && !wanted.Contains(j.Id)))
        {
            recurring.RemoveIfExists(existing.Id);
            LogRemoved(logger, existing.Id);
        }
    }

    private static string CronOf(ScheduleTrigger schedule) =>
        schedule.Cron ?? ScheduleInterval.ToCron(schedule.Interval!.Value)
        ?? throw new InvalidOperationException($"The interval {schedule.Interval} has no cron form; the loader should have refused it.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowId} is scheduled every {Interval}, but schedules are checked only every {Polling}: it will run at most that often. Lower Supervisor:Jobs:SchedulePollingInterval if it must run more often.")]
    private static partial void LogTooFrequent(ILogger logger, string workflowId, TimeSpan interval, TimeSpan polling);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed recurring job {RecurringJobId}: its definition has no schedule any more")]
    private static partial void LogRemoved(ILogger logger, string recurringJobId);
}
