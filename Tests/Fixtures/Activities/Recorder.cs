namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>
/// What <see cref="Mark"/> activities did, in order, and how many ran at once at most. One per
/// test host (a DI singleton), never static.
/// </summary>
public sealed class Recorder
{
    private readonly Lock _lock = new();
    private readonly List<(string Label, int Attempt)> _entries = [];
    private readonly List<string> _finished = [];
    private int _running;

    public int MaxConcurrency { get; private set; }

    public IReadOnlyList<string> Started { get { lock (_lock) { return _entries.Select(e => e.Label).ToList(); } } }

    public IReadOnlyList<(string Label, int Attempt)> Entries { get { lock (_lock) { return [.. _entries]; } } }

    public IReadOnlyList<string> Finished { get { lock (_lock) { return [.. _finished]; } } }

    public IDisposable Enter(string label, int attempt)
    {
        lock (_lock)
        {
            _entries.Add((label, attempt));
            _running++;
            MaxConcurrency = Math.Max(MaxConcurrency, _running);
        }

        return new Exit(this, label);
    }

    private sealed class Exit(Recorder recorder, string label) : IDisposable
    {
        public void Dispose()
        {
            lock (recorder._lock)
            {
                recorder._running--;
                recorder._finished.Add(label);
            }
        }
    }
}
