namespace Supervisor.Activities.Timing;

/// <summary>
/// A wait that doubles with each failed attempt in a row: the n-th (from 1) waits
/// <c>min(First × 2^(n-1), Cap)</c>, and no failure yet waits nothing. The reconcile loop, the
/// cloud poll, the cloud report and image fetches each give it their own numbers, so that the
/// four back off by one rule rather than four hand-written ones.
/// </summary>
/// <remarks>
/// No jitter: none of the four backs off with one. The cloud poll's jitter spreads a fleet's
/// steady polls, not its retries, and stays with the poll.
/// </remarks>
/// <param name="First">The wait after the first failure. Zero or less never waits.</param>
/// <param name="Cap">The longest wait; it wins over <paramref name="First"/> if smaller.</param>
public readonly record struct ExponentialBackoff(TimeSpan First, TimeSpan Cap)
{
    /// <summary>Doubling past this many times already passes any <see cref="TimeSpan"/> a first wait of one tick could reach.</summary>
    private const int MostDoublings = 62;

    /// <summary>The wait after <paramref name="attempt"/> failed attempts in a row.</summary>
    public TimeSpan Delay(int attempt)
    {
        if (attempt <= 0 || First <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // In doubles, so that a long run of failures saturates at the cap instead of overflowing.
        var ticks = First.Ticks * Math.Pow(2, Math.Min(attempt - 1, MostDoublings));
        return ticks < Cap.Ticks ? TimeSpan.FromTicks((long)ticks) : Cap;
    }
}
