using Microsoft.Extensions.Time.Testing;
using Supervisor.Host.Api.Logs;

namespace Supervisor.Tests.Host.Api.Logs;

/// <summary>The journalctl times balena's journal-logs passes on, read in the device's time zone.</summary>
public sealed class JournalTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);

    private static FakeTimeProvider Clock()
    {
        var clock = new FakeTimeProvider(Now);
        clock.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("plus-two", TimeSpan.FromHours(2), "plus-two", "plus-two"));
        return clock;
    }

    [Theory]
    [InlineData("now", "2026-12-04T10:30:00Z")]
    [InlineData("today", "2026-12-03T22:00:00Z")]
    [InlineData("yesterday", "2026-12-02T22:00:00Z")]
    [InlineData("tomorrow", "2026-12-04T22:00:00Z")]
    [InlineData("2026-12-01 08:00:00", "2026-12-01T06:00:00Z")]
    [InlineData("2026-12-01 08:00", "2026-12-01T06:00:00Z")]
    [InlineData("2026-12-01", "2026-11-30T22:00:00Z")]
    [InlineData("2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z")]
    [InlineData("2026-12-01T08:00:00+01:00", "2026-12-01T07:00:00Z")]
    [InlineData("@1764576000", "2025-12-01T08:00:00Z")]
    [InlineData("-5min", "2026-12-04T10:25:00Z")]
    [InlineData("-2h", "2026-12-04T08:30:00Z")]
    [InlineData("+1 day", "2026-12-05T10:30:00Z")]
    [InlineData("-30s", "2026-12-04T10:29:30Z")]
    public void Reads_journalctls_forms(string text, string expected)
    {
        Assert.True(JournalTime.TryParse(text, Clock(), out var value), text);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    [InlineData("12/01/2026")]
    [InlineData("-5 parsecs")]
    [InlineData("@never")]
    [InlineData("2026-13-01")]
    [InlineData("@-99999999999")]
    [InlineData("-999999999 weeks")]
    public void Refuses_what_is_not_a_time(string text) => Assert.False(JournalTime.TryParse(text, Clock(), out _), text);
}
