namespace Supervisor.Tests.Fixtures;

/// <summary>
/// Calls back on the reporting thread. <see cref="Progress{T}"/> posts to the thread pool, so its
/// last reports can arrive after the awaited call returned.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
