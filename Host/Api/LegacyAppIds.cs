using System.Globalization;

namespace Supervisor.Host.Api;

/// <summary>Reads the numeric app id of a v1/v2 path, which balena's contract speaks.</summary>
public static class LegacyAppIds
{
    /// <returns>The id, or the message a 400 answer carries.</returns>
    public static (long? AppId, string? Error) Parse(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? (id, null)
            : (null, $"Invalid app id \"{value}\": an app id is a positive whole number (the app's numeric id in the target state).");
}
