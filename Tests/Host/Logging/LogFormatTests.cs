using System.Text.Json;
using System.Text.RegularExpressions;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Logging;

/// <summary>The program's console log, as journald or a person reads it: the real program started as a process.</summary>
public sealed partial class LogFormatTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-logs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Every_plain_line_starts_with_its_utc_time_and_level_and_names_no_event_id()
    {
        var output = await StartedOutputAsync("plain");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(PlainLine(), line));
        Assert.DoesNotMatch(EventId(), output);
        Assert.Contains(lines, line => line.Contains("info  Supervisor.Host: Supervisor started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_json_format_writes_one_object_a_line_with_a_utc_timestamp()
    {
        var output = await StartedOutputAsync("json");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var entry = JsonDocument.Parse(line);
            Assert.EndsWith("Z", entry.RootElement.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(entry.RootElement.GetProperty("Message").GetString()));
        });
    }

    [Fact]
    public async Task A_format_that_is_not_one_stops_the_start_in_one_line()
    {
        await using var host = HostProcess.Start([.. Settings("bogus")]);

        Assert.Equal(1, await host.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("Supervisor did not start: Supervisor:Logging:Format is \"bogus\"; it must be plain or json.", host.Errors.Trim());
    }

    private async Task<string> StartedOutputAsync(string format)
    {
        await using var host = HostProcess.Start([.. Settings(format)]);
        using var client = new HttpClient { BaseAddress = new Uri(host.Url) };
        await host.WaitUntilUpAsync(client, TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => host.Output.Contains("Supervisor started", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the started line");
        return host.Output;
    }

    private IEnumerable<string> Settings(string format)
    {
        var data = Path.Combine(_root, format);
        yield return $"--Supervisor:DataDir={data}";
        yield return $"--Supervisor:LockRoot={Path.Combine(data, "locks")}";
        yield return "--Supervisor:LocalMode=true";
        yield return "--Supervisor:Reconciler:Enabled=false";
        yield return $"--Supervisor:Logging:Format={format}";
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info |warn |error|crit ) \S+: |^\s|^[A-Za-z.]+(Exception|Error)")]
    private static partial Regex PlainLine();

    [GeneratedRegex(@"\[\d{5,}\]")]
    private static partial Regex EventId();
}
