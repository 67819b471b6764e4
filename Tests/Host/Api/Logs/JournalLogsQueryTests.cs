using Microsoft.Extensions.Time.Testing;
using Supervisor.Host.Api.Logs;

namespace Supervisor.Tests.Host.Api.Logs;

/// <summary>balena's journal-logs options: their defaults and the errors of wrong values, all named at once.</summary>
public sealed class JournalLogsQueryTests
{
    private static JournalLogsQuery? Parse(out IReadOnlyList<string> errors, params (string Name, string? Value)[] values) =>
        JournalLogsQuery.Parse(values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal), new FakeTimeProvider(), out errors);

    [Fact]
    public void No_options_ask_for_every_line_in_short_format_without_following()
    {
        var query = Parse(out var errors)!;
        Assert.Empty(errors);
        Assert.Equal(("short", false, null), (query.Format.Name, query.Follow, query.EffectiveCount));
    }

    [Fact]
    public void Following_without_a_count_starts_from_the_last_ten_lines_as_journalctl_does()
    {
        Assert.Equal(10, Parse(out _, ("follow", "true"))!.EffectiveCount);
        Assert.Equal(3, Parse(out _, ("follow", "1"), ("count", "3"))!.EffectiveCount);
    }

    [Fact]
    public void Balenas_truthy_values_and_empty_values_are_read_as_balena_reads_them()
    {
        var query = Parse(out var errors, ("all", "on"), ("follow", "false"), ("unit", ""), ("format", "cat"))!;
        Assert.Empty(errors);
        Assert.True(query.All);
        Assert.False(query.Follow);
        Assert.Null(query.Unit);
        Assert.Equal("cat", query.Format.Name);
    }

    [Fact]
    public void Every_wrong_value_is_named_and_no_query_is_made()
    {
        var query = Parse(out var errors, ("count", "-1"), ("format", "export"), ("until", "later"), ("lines", "5"));
        Assert.Null(query);
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("'lines' is not an option", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("count '-1'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("format 'export'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("until 'later'", StringComparison.Ordinal));
    }

    [Fact]
    public void Follow_with_an_end_and_an_end_before_the_start_are_refused()
    {
        Assert.Null(Parse(out var followed, ("follow", "true"), ("until", "now")));
        Assert.Contains("follow and until cannot be given together", followed.Single(), StringComparison.Ordinal);
        Assert.Null(Parse(out var reversed, ("since", "now"), ("until", "-1h")));
        Assert.Contains("is before since", reversed.Single(), StringComparison.Ordinal);
    }
}
