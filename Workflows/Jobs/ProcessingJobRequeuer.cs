using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Supervisor.Workflows.Jobs;

/// <summary>
/// Puts jobs that a crash left "Processing" back in their queue before the servers start. The
/// SQLite storage would otherwise leave them until the invisibility timeout (hours) passed.
/// Only sound with one Hangfire server process per database file, which is how the supervisor runs.
/// </summary>
public sealed partial class ProcessingJobRequeuer(JobStorage storage, IBackgroundJobClient jobs, ILogger<ProcessingJobRequeuer> logger)
{
    public int RequeueAll()
    {
        var monitoring = storage.GetMonitoringApi();
        var processing = monitoring.ProcessingJobs(0, int.MaxValue);
        if (processing.Count > 0)
        {
            // Said first: a state lock the crashed process held delays the requeue until it expires.
            LogRequeueing(logger, processing.Count);
        }

        var count = 0;
        foreach (var (jobId, _) in processing)
        {
            var queue = LastQueue(monitoring, jobId);
            if (jobs.ChangeState(jobId, new EnqueuedState(queue), ProcessingState.StateName))
            {
                LogRequeued(logger, jobId, queue);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Puts one job left Processing with no worker back in its queue; false when it is no longer
    /// Processing (its worker wrote its end meanwhile: the state change is atomic, so only one wins).
    /// </summary>
    public bool Requeue(string jobId)
    {
        var queue = LastQueue(storage.GetMonitoringApi(), jobId);
        if (!jobs.ChangeState(jobId, new EnqueuedState(queue), ProcessingState.StateName))
        {
            return false;
        }

        LogRequeuedStranded(logger, jobId, queue);
        return true;
    }

    private static string LastQueue(IMonitoringApi monitoring, string jobId)
    {
        var history = monitoring.JobDetails(jobId)?.History ?? [];
        var enqueued = history.FirstOrDefault(h => h.StateName == EnqueuedState.StateName);
        return enqueued?.Data is { } data && data.TryGetValue("Queue", out var queue) && !string.IsNullOrEmpty(queue)
            ? queue
            : EnqueuedState.DefaultQueue;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Requeueing {Count} jobs a crash left Processing (a lock the crashed process held makes this wait until it expires, at most 30 s)")]
    private static partial void LogRequeueing(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Requeued job {JobId} in queue {Queue}: a crash interrupted it")]
    private static partial void LogRequeued(ILogger logger, string jobId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requeued job {JobId} in queue {Queue}: it was left Processing with no worker (its state could not be written)")]
    private static partial void LogRequeuedStranded(ILogger logger, string jobId, string queue);
}
