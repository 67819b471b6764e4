using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Storage;

/// <summary>
/// The real program started on a database that is not one, or is damaged where it may not be
/// moved aside: it must say so in one line and exit, not die of an unhandled exception.
/// </summary>
public sealed class UnusableDatabaseTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-unusable-");

    private string DataDir => Path.Combine(_root.FullName, "data");

    public static TheoryData<string, string, string, bool> Refused => new()
    {
        { "supervisor.db", "header", "is not a SQLite database", true },
        { "hangfire.db", "header", "is not a SQLite database", true },
        { "hangfire.db", "half", "is damaged", true },
        { "supervisor.db", "half", "is damaged", false },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_database_that_cannot_be_used_stops_the_program_with_one_line_naming_the_file(string file, string damage, string problem, bool moveDamagedAside)
    {
        await CreateDatabasesAsync();
        var path = Path.Combine(DataDir, file);
        await (damage == "header" ? DatabaseDamage.DamageHeaderAsync(path) : DatabaseDamage.TruncateToHalfAsync(path));

        await using var host = HostProcess.Start([.. Arguments(), $"--Supervisor:Database:MoveDamagedAside={moveDamagedAside}"]);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{host.Output}");
        var line = Assert.Single(host.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"Supervisor did not start: ", line, StringComparison.Ordinal);
        Assert.Contains($"{path} {problem}", line, StringComparison.Ordinal);
        Assert.Contains($"mv {path} ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_supervisor_db_starts_afresh_with_a_warning_that_the_state_was_lost()
    {
        await CreateDatabasesAsync();
        await File.WriteAllBytesAsync(Path.Combine(DataDir, "supervisor.db"), []);

        await using var host = HostProcess.Start(Arguments());
        using var client = new HttpClient();
        await host.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));

        Assert.Contains($"The database {Path.Combine(DataDir, "supervisor.db")} was empty (0 bytes): the supervisor's state", host.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={DataDir}",
        $"--Supervisor:WorkflowsDir={Path.Combine(_root.FullName, "workflows")}",
        "--Supervisor:ApiKey=unusable-database-test",
        $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock",
    ];

    /// <summary>Both databases as a first start leaves them, closed cleanly.</summary>
    private async Task CreateDatabasesAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows"));
        await using (var host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:DataDir"] = DataDir }))
        {
            using var client = host.CreateClient();
            using var ping = await client.GetAsync(new Uri("/ping", UriKind.Relative));
            ping.EnsureSuccessStatusCode();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
