using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// The <c>journalctl -o</c> output formats that make sense for services' lines, written the way journalctl writes
/// them. A line's identifier is its service name and, where journalctl puts a process id, the container's short id:
/// <c>Dec 04 15:01:02 HOST web[1a2b3c4d5e6f]: message</c>. <c>json</c> carries the fields the engine's journald log
/// driver records (<c>MESSAGE</c>, <c>PRIORITY</c> 6 for stdout and 3 for stderr, <c>CONTAINER_ID</c>, ...).
/// </summary>
public sealed class JournalFormat
{
    public static readonly JournalFormat Default = new("short");

    private static readonly JournalFormat[] All =
        [Default, new("short-precise"), new("short-iso"), new("short-iso-precise"), new("short-unix"), new("cat"), new("json")];

    private JournalFormat(string name) => Name = name;

    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public string Name { get; }

    public static bool TryParse(string name, out JournalFormat format)
    {
        var known = All.FirstOrDefault(f => f.Name == name);
        format = known ?? Default;
        return known is not null;
    }

    /// <summary>One line, without its line end, with times in <paramref name="zone"/> (the device's).</summary>
    public string Write(ServiceLogLine line, string hostName, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(line);
        var local = TimeZoneInfo.ConvertTime(line.Timestamp, zone);
        var shortId = line.ContainerId.Length > 12 ? line.ContainerId[..12] : line.ContainerId;
        var prefix = Name switch
        {
            "short" => local.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture),
            "short-precise" => local.ToString("MMM dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            "short-iso" => local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            "short-iso-precise" => local.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
            "short-unix" => ((line.Timestamp - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond).ToString("F6", CultureInfo.InvariantCulture),
            _ => null,
        };
        return prefix is not null
            ? $"{prefix} {hostName} {line.ServiceName}[{shortId}]: {line.Message}"
            : Name == "cat" ? line.Message : Json(line, hostName, shortId);
    }

    private static string Json(ServiceLogLine line, string hostName, string shortId)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var microseconds = (line.Timestamp - DateTimeOffset.UnixEpoch).Ticks / (TimeSpan.TicksPerMillisecond / 1000);
            writer.WriteStartObject();
            writer.WriteString("__REALTIME_TIMESTAMP", microseconds.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("_HOSTNAME", hostName);
            writer.WriteString("SYSLOG_IDENTIFIER", line.ServiceName);
            writer.WriteString("CONTAINER_ID", shortId);
            writer.WriteString("CONTAINER_ID_FULL", line.ContainerId);
            writer.WriteString("CONTAINER_NAME", line.ContainerName);
            writer.WriteString("PRIORITY", line.IsStdErr ? "3" : "6");
            writer.WriteString("MESSAGE", line.Message);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
