using Hangfire.Storage.SQLite;

namespace Supervisor.Host.StepEngine;

/// <summary>The SQLite storage's queue provider, handing out <see cref="WakeableJobFetch"/>s.</summary>
public sealed class WakeableJobQueueProvider(SQLiteStorageOptions options, QueueWakeUp wakeUp) : IPersistentJobQueueProvider
{
    private readonly SQLiteJobQueueProvider _inner = new(options);

    public IPersistentJobQueue GetJobQueue(HangfireDbContext connection) => new WakeableJobFetch(_inner.GetJobQueue(connection), wakeUp);

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi(HangfireDbContext connection) => _inner.GetJobQueueMonitoringApi(connection);
}
