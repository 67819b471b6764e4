using System.Globalization;
using System.Text.RegularExpressions;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads compose byte sizes (<c>mem_limit</c>, <c>shm_size</c>...) as balena does: digits and an optional unit
/// <c>b</c>, <c>k</c>, <c>m</c> or <c>g</c>, any case, with an optional trailing <c>b</c> (<c>512m</c>, <c>512mb</c>,
/// <c>1G</c>); units are powers of 1024. balena falls back to the default on anything else (<c>1.5g</c>, <c>1t</c>);
/// here that is an error, so a limit the user wrote is never silently lifted.
/// </summary>
internal static partial class ComposeMemory
{
    public const string Form = "bytes, or a number with a unit b, k, m or g (e.g. 512m)";

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        Match match = Size().Match(text);
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            return false;
        }

        int shift = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "k" => 10,
            "m" => 20,
            "g" => 30,
            _ => 0,
        };
        if (number > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = number << shift;
        return true;
    }

    [GeneratedRegex(@"\A(?<n>[0-9]+)(?:(?<unit>[kKmMgG])[bB]?|[bB])?\z")]
    private static partial Regex Size();
}
