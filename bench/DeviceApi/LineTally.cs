using System.Globalization;

namespace Supervisor.Bench.DeviceApi;

/// <summary>
/// The numbered lines (<c>s{service} {number}</c>) one reader received: which of them, how many twice, and each one's
/// delay from the engine's timestamp to its arrival. Several followers may add at once.
/// </summary>
public sealed class LineTally(int services, int linesEach)
{
    private readonly bool[][] _seen = [.. Enumerable.Range(0, services).Select(_ => new bool[linesEach])];
    private readonly List<float> _delays = new(services * linesEach);
    private readonly Lock _gate = new();
    private readonly DateTimeOffset[] _first = [.. Enumerable.Repeat(DateTimeOffset.MaxValue, services)];
    private readonly DateTimeOffset[] _last = [.. Enumerable.Repeat(DateTimeOffset.MinValue, services)];
    private readonly int[] _count = new int[services];
    private int _received;
    private int _foreign;

    public int Duplicates { get; private set; }

    public int Missing => (services * linesEach) - _received;

    public bool Complete => Missing == 0;

    /// <summary>Lines a second per service (the mean over the services), each from its first line's engine timestamp to its last's.</summary>
    public double Rate => Enumerable.Range(0, services)
        .Where(s => _count[s] > 1)
        .Select(s => (_count[s] - 1) / Math.Max(0.001, (_last[s] - _first[s]).TotalSeconds))
        .DefaultIfEmpty()
        .Average();

    public void Add(string message, DateTimeOffset printed, DateTimeOffset arrived)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parts = message.TrimEnd('\r').Split(' ');
        lock (_gate)
        {
            if (parts is not [['s', .. var service], var number]
                || !int.TryParse(service, CultureInfo.InvariantCulture, out var s) || s < 1 || s > services
                || !int.TryParse(number, CultureInfo.InvariantCulture, out var n) || n < 1 || n > linesEach)
            {
                _foreign++;
                return;
            }

            if (_seen[s - 1][n - 1])
            {
                Duplicates++;
                return;
            }

            _seen[s - 1][n - 1] = true;
            _received++;
            _delays.Add((float)(arrived - printed).TotalMilliseconds);
            _count[s - 1]++;
            _first[s - 1] = printed < _first[s - 1] ? printed : _first[s - 1];
            _last[s - 1] = printed > _last[s - 1] ? printed : _last[s - 1];
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_delays.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _delays.Order().ToArray();
            return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{_received} of {services * linesEach} lines ({Missing} missing, {Duplicates} twice, {_foreign} not numbered); delay median {Percentile(0.5):0} ms, p99 {Percentile(0.99):0} ms, max {Percentile(1):0} ms");
}
