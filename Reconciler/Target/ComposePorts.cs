using System.Globalization;
using System.Text.RegularExpressions;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads compose's short port form as balena does, <c>[[host_ip:]host_port[-end]:]container_port[-end][/tcp|udp]</c>,
/// into one <see cref="ServicePort"/> per container port: a range maps port by port, and a container port given
/// alone is published on the same host port (balena's reading; plain compose would pick a random one).
/// </summary>
internal static partial class ComposePorts
{
    public const string Form = "\"[[host_ip:]host_port[-end]:]container_port[-end][/tcp|udp]\"";

    public static List<ServicePort>? Parse(string text, out string problem)
    {
        problem = string.Empty;
        Match match = Port().Match(text);
        if (!match.Success)
        {
            problem = $"expected {Form}, found \"{text}\"";
            return null;
        }

        string protocol = match.Groups["proto"].Success ? match.Groups["proto"].Value : "tcp";
        string? hostIp = match.Groups["ip"].Success ? match.Groups["ip"].Value.Trim('[', ']') : null;
        (int first, int last)? container = Range(match.Groups["cport"].Value, match.Groups["cend"]);
        (int first, int last)? host = match.Groups["hport"].Success ? Range(match.Groups["hport"].Value, match.Groups["hend"]) : container;
        if (container is not { } inside || host is not { } outside)
        {
            problem = $"\"{text}\" has a port outside 1-65535 or a range that ends before it starts";
            return null;
        }

        if (inside.last - inside.first != outside.last - outside.first)
        {
            problem = $"\"{text}\" maps {outside.last - outside.first + 1} host ports onto {inside.last - inside.first + 1} container ports; the ranges must be the same size";
            return null;
        }

        return [.. Enumerable.Range(0, inside.last - inside.first + 1)
            .Select(i => new ServicePort(inside.first + i, outside.first + i, protocol, hostIp))];
    }

    private static (int, int)? Range(string first, Group end)
    {
        int start = int.Parse(first, CultureInfo.InvariantCulture);
        int stop = end.Success ? int.Parse(end.Value, CultureInfo.InvariantCulture) : start;
        return start is >= 1 and <= 65535 && stop is >= 1 and <= 65535 && stop >= start ? (start, stop) : null;
    }

    [GeneratedRegex(@"\A(?:(?:(?<ip>\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(?<hport>[0-9]{1,5})(?:-(?<hend>[0-9]{1,5}))?:)?(?<cport>[0-9]{1,5})(?:-(?<cend>[0-9]{1,5}))?(?:/(?<proto>tcp|udp))?\z")]
    private static partial Regex Port();
}
