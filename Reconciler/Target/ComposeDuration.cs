using System.Globalization;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads compose durations such as <c>10s</c>, <c>1m30s</c>, <c>1.5s</c>, <c>500ms</c> or <c>1h</c>: one or more
/// decimal numbers each followed by a unit (<c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>, <c>us</c> or <c>µs</c>,
/// <c>ns</c>), which is Go's duration syntax that compose uses. A bare <c>0</c> is allowed too; other bare numbers
/// are not, because whether they mean seconds or nanoseconds differs between compose versions. Signs are not
/// allowed: no duration compose takes can be negative.
/// </summary>
internal static class ComposeDuration
{
    // Longer units first, so "ms" is not read as "m" followed by a stray "s".
    private static readonly (string Unit, decimal Ticks)[] Units =
    [
        ("ms", TimeSpan.TicksPerMillisecond),
        ("us", TimeSpan.TicksPerMicrosecond),
        ("µs", TimeSpan.TicksPerMicrosecond),
        ("ns", 1m / TimeSpan.NanosecondsPerTick),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        decimal ticks = 0;
        int i = 0;
        while (i < text.Length)
        {
            int numberStart = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (!decimal.TryParse(
                    text.AsSpan(numberStart, i - numberStart),
                    NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture,
                    out decimal number))
            {
                return false;
            }

            int unit = Array.FindIndex(Units, u => text.AsSpan(i).StartsWith(u.Unit, StringComparison.Ordinal));
            if (unit < 0)
            {
                return false;
            }

            i += Units[unit].Unit.Length;
            try
            {
                ticks += number * Units[unit].Ticks;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (text.Length == 0 || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }
}
