using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>
/// The real program started with a setting it cannot work with: it must refuse at once, in one
/// line naming the key, the value and the rule, and touch nothing (no database is created).
/// </summary>
public sealed class SettingRefusalTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-settings-");

    private string DataDir => Path.Combine(_root.FullName, "data");

    [Fact]
    public async Task A_reconcile_interval_of_zero_stops_the_program_with_one_line_naming_the_key_the_value_and_the_rule()
    {
        await using var host = HostProcess.Start([.. Arguments(), "--Supervisor:Reconciler:Interval=00:00:00"]);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{host.Output}");
        var line = Assert.Single(host.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("Supervisor did not start: Supervisor:Reconciler:Interval is 00:00:00, but it must be from 00:00:01 to 30.00:00:00", line);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(DataDir, "supervisor.db")), "the refused start created supervisor.db");
    }

    [Fact]
    public async Task Bad_values_in_several_sections_are_all_named_on_the_one_line()
    {
        await using var host = HostProcess.Start([.. Arguments(), "--Supervisor:Jobs:DefaultWorkers=0", "--Supervisor:Cloud:ErrorBackoff=00:00:00"]);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{host.Output}");
        var line = Assert.Single(host.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Supervisor did not start: ", line, StringComparison.Ordinal);
        Assert.Contains("Supervisor:Jobs:DefaultWorkers is 0, but it must be from 1 to 64", line, StringComparison.Ordinal);
        Assert.Contains("Supervisor:Cloud:ErrorBackoff is 00:00:00, but it must be from 00:00:00.1000000 to 1.00:00:00", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_that_is_not_a_time_span_at_all_stops_the_program_with_the_binders_one_line()
    {
        await using var host = HostProcess.Start([.. Arguments(), "--Supervisor:Reconciler:Interval=soon"]);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{host.Output}");
        var line = Assert.Single(host.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("Supervisor did not start: Failed to convert configuration value 'soon' at 'Supervisor:Reconciler:Interval' to type 'System.TimeSpan'.", line);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={DataDir}",
        $"--Supervisor:WorkflowsDir={Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows")).FullName}",
        "--Supervisor:ApiKey=setting-refusal-test",
        $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock",
        "--Supervisor:Cloud:BaseUrl=http://127.0.0.1:9",
    ];
}
