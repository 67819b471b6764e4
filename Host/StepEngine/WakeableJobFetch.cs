using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// The SQLite storage's job queue (what a worker fetches from), whose wait between polls a <see cref="QueueWakeUp"/> cuts short: a worker woken
/// fetches again at once.
/// </summary>
public sealed class WakeableJobFetch(IPersistentJobQueue inner, QueueWakeUp wakeUp) : IPersistentJobQueue
{
    public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wakeUp.Token);
            try
            {
                return inner.Dequeue(queues, either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Woken: a job was queued; poll again now.
            }
        }
    }

    public void Enqueue(string queue, string jobId) => inner.Enqueue(queue, jobId);
}
