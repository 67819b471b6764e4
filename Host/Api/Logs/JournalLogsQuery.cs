using System.Globalization;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// What <c>/v2/journal-logs</c> is asked for, with balena's option names (the <c>journalctl</c> switches balena
/// passes them to): <c>all</c>, <c>follow</c>, <c>count</c>, <c>unit</c>, <c>format</c>, <c>containerId</c>,
/// <c>since</c>, <c>until</c>.
/// </summary>
public sealed record JournalLogsQuery
{
    private static readonly string[] Options = ["all", "follow", "count", "unit", "format", "containerId", "since", "until"];

    // journalctl -f without -n shows the last 10 lines before it follows.
    private const int FollowCountDefault = 10;

    /// <summary>Accepted for balena's clients; every line is given whole and printable anyway.</summary>
    public bool All { get; init; }

    public bool Follow { get; init; }

    /// <summary>The last this many lines before now; null for every line (or the last 10 when following).</summary>
    public int? Count { get; init; }

    /// <summary>A service name: there are no host units here, and each service's output is its own unit.</summary>
    public string? Unit { get; init; }

    public JournalFormat Format { get; init; } = JournalFormat.Default;

    /// <summary>A container id or a prefix of one (journald's identifier for a container's lines is its short id).</summary>
    public string? ContainerId { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public int? EffectiveCount => Count ?? (Follow ? FollowCountDefault : null);

    /// <summary>Reads the options; every value that is wrong is named in <paramref name="errors"/>, and then null is returned.</summary>
    public static JournalLogsQuery? Parse(IReadOnlyDictionary<string, string?> values, TimeProvider time, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(values);
        var problems = new List<string>();
        foreach (var name in values.Keys.Where(k => !Options.Contains(k, StringComparer.Ordinal)))
        {
            problems.Add($"'{name}' is not an option of journal-logs; the options are {string.Join(", ", Options)}");
        }

        string? Text(string name) => values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

        bool Flag(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return false;
            }

            if (text is "true" or "1" or "on")
            {
                return true;
            }

            if (text is not ("false" or "0" or "off"))
            {
                problems.Add($"{name} '{text}' is not true or false");
            }

            return false;
        }

        DateTimeOffset? When(string name)
        {
            var text = Text(name);
            if (text is null)
            {
                return null;
            }

            if (JournalTime.TryParse(text, time, out var value))
            {
                return value;
            }

            problems.Add($"{name} '{text}' is not a time; use {JournalTime.Forms}");
            return null;
        }

        int? count = null;
        if (Text("count") is { } countText)
        {
            if (int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                count = parsed;
            }
            else
            {
                problems.Add($"count '{countText}' is not a positive whole number of lines");
            }
        }

        var format = JournalFormat.Default;
        if (Text("format") is { } formatText && !JournalFormat.TryParse(formatText, out format))
        {
            problems.Add($"format '{formatText}' is not one this supervisor writes; use one of {string.Join(", ", JournalFormat.Names)}");
        }

        var query = new JournalLogsQuery
        {
            All = Flag("all"),
            Follow = Flag("follow"),
            Count = count,
            Unit = Text("unit"),
            Format = format,
            ContainerId = Text("containerId"),
            Since = When("since"),
            Until = When("until"),
        };
        if (query is { Follow: true, Until: not null })
        {
            problems.Add("follow and until cannot be given together: a followed log has no end");
        }

        if (query is { Since: { } since, Until: { } until } && until < since)
        {
            problems.Add($"until '{Text("until")}' is before since '{Text("since")}'");
        }

        errors = problems;
        return problems.Count == 0 ? query : null;
    }
}
