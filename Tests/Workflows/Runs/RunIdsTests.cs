using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary>Run ids: version-7 UUIDs that sort as their runs' creation times do.</summary>
public sealed class RunIdsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_id_is_a_unique_version_7_uuid_whose_first_twelve_digits_are_its_creation_milliseconds()
    {
        var id = RunIds.New(Start);

        Assert.Equal(Start.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture), id[..12]);
        Assert.Equal(7, Guid.ParseExact(id, "N").Version);
        Assert.Equal(0b10, Guid.ParseExact(id, "N").Variant >> 2);
        Assert.True(string.CompareOrdinal(id, RunIds.New(Start.AddMilliseconds(1))) < 0);
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => RunIds.New(Start)).Distinct(StringComparer.Ordinal).Count());
    }
}
