using System.Collections.Concurrent;

namespace Supervisor.Workflows.Jobs;

/// <summary>
/// The Hangfire jobs whose method this process is executing now. Hangfire marks a job Processing
/// before its method starts and keeps it so until its next state is written; when that write
/// fails (a full disk) the job stays Processing with no worker behind it. With one Hangfire
/// server process per database file, a job Processing that is not here has no worker at all.
/// </summary>
public sealed class PerformingJobs
{
    private readonly ConcurrentDictionary<string, int> _jobs = new(StringComparer.Ordinal);

    /// <summary>Marks the job as executing until the returned handle is disposed.</summary>
    public IDisposable Enter(string jobId)
    {
        _jobs.AddOrUpdate(jobId, 1, (_, count) => count + 1);
        return new Performing(this, jobId);
    }

    public bool Contains(string jobId) => _jobs.ContainsKey(jobId);

    private void Leave(string jobId)
    {
        while (_jobs.TryGetValue(jobId, out var count))
        {
            if (count <= 1
                ? _jobs.TryRemove(new KeyValuePair<string, int>(jobId, count))
                : _jobs.TryUpdate(jobId, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Performing(PerformingJobs owner, string jobId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(jobId);
            }
        }
    }
}
