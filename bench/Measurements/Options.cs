using System.Globalization;

namespace Supervisor.Bench.Measurements;

/// <summary>The measurements' few <c>--name value</c> arguments.</summary>
public static class Options
{
    public static int Number(string[] args, string name, int fallback)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
