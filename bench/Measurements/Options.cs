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

    public static string? Text(string[] args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Every <c>--set Key=Value</c>, as configuration.</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Settings(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new List<KeyValuePair<string, string?>>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--set" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                settings.Add(new(key, value));
            }
        }

        return settings;
    }
}
