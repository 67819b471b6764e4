using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>
/// A schedule's cron as the real host reads it: what Hangfire runs (macros, <c>L</c>, <c>W</c>,
/// <c>#</c>) is registered with Hangfire, and a cron it would refuse stops the program at start
/// with the file, the location and the reason.
/// </summary>
public sealed class ScheduleCronTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-cron-");

    private static string Scheduled(string id, string cron) => $$"""
        { "id": "{{id}}", "version": 1, "trigger": { "schedule": { "cron": "{{cron}}" } },
          "start": "mark", "activities": { "mark": { "type": "Mark", "inputs": { "label": "{{id}}" } } } }
        """;

    [Fact]
    public async Task Crons_Hangfire_understands_beyond_plain_fields_are_registered_as_given()
    {
        var crons = new Dictionary<string, string>
        {
            ["daily"] = "@daily",
            ["last-day"] = "0 3 L * *",
            ["nearest-weekday"] = "0 3 15W * *",
            ["second-monday"] = "0 9 * * MON#2",
            ["with-seconds"] = "30 0 3 * * *",
        };
        await using var host = new SupervisorHostFactory(workflows: crons.ToDictionary(c => c.Key, c => Scheduled(c.Key, c.Value)));
        using var client = host.CreateClient();

        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var registered = connection.GetRecurringJobs().ToDictionary(j => j.Id, j => j.Cron, StringComparer.Ordinal);
        foreach (var (id, cron) in crons)
        {
            Assert.True(registered.TryGetValue("workflow:" + id, out var got), $"workflow:{id} is not registered; registered: {string.Join(", ", registered.Keys)}");
            Assert.Equal(cron, got);
        }

        Assert.All(connection.GetRecurringJobs(), j => Assert.Null(j.Error));
    }

    [Fact]
    public async Task A_cron_Hangfire_would_refuse_stops_the_program_with_the_file_location_and_reason()
    {
        var workflows = Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows")).FullName;
        var file = Path.Combine(workflows, "nightly.json");
        await File.WriteAllTextAsync(file, Scheduled("nightly", "0 25 * * *"));

        await using var host = HostProcess.Start(
            $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
            $"--Supervisor:WorkflowsDir={workflows}",
            "--Supervisor:ApiKey=schedule-cron-test",
            $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock");
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{host.Output}");
        Assert.Contains("Supervisor did not start: ", host.Output, StringComparison.Ordinal);
        Assert.Contains($"{file}: /trigger/schedule/cron: cron '0 25 * * *': Hours: Value must be a number between 0 and 23", host.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
