using System.Diagnostics;

namespace Supervisor.Bench.Measurements;

public static class Clock
{
    public static double MillisecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public static double MillisecondsBetween(long start, long end) => Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
}
