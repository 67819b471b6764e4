using System.Globalization;

namespace Supervisor.Bench.Measurements;

/// <summary>Order statistics of a sample of latencies in milliseconds.</summary>
public sealed record LatencyStats(int Count, double Min, double Median, double P95, double Max)
{
    public static LatencyStats Of(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(milliseconds));
        }

        var sorted = milliseconds.Order().ToArray();
        return new(sorted.Length, sorted[0], Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted[^1]);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"n={Count} median={Median:0.000} ms p95={P95:0.000} ms min={Min:0.000} ms max={Max:0.000} ms");

    // Linear interpolation between the two nearest ranks.
    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
