using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>The real program killed with SIGKILL in the middle of a run, and started again on the same data.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string Key = "crash-test-key";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-crash-");

    public void Dispose() => _root.Delete(recursive: true);

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
        $"--Supervisor:WorkflowsDir={Path.Combine(_root.FullName, "workflows")}",
        $"--Supervisor:ApiKey={Key}",
        $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock",
    ];

    private static HttpClient Client()
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static Task<JsonElement> RunAsync(HttpClient client, HostProcess host, string id) =>
        client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/runs/{id}");

    private static bool Started(JsonElement run, string activityId, int attempt) =>
        run.GetProperty("steps").EnumerateArray().Any(s =>
            s.GetProperty("activityId").GetString() == activityId && s.GetProperty("attempt").GetInt32() == attempt);

    [Fact]
    public async Task A_run_killed_mid_activity_twice_resumes_from_that_activity_and_finishes_exactly_once()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows"));
        await File.WriteAllTextAsync(Path.Combine(_root.FullName, "workflows", "settle.json"), """
            { "id": "settle", "version": 1, "start": "wait",
              "activities": {
                "wait":    { "type": "Delay", "inputs": { "duration": "00:00:04" }, "next": { "Done": "respond" } },
                "respond": { "type": "Respond", "inputs": { "statusCode": 200, "body": "settled" } }
              } }
            """);
        using var client = Client();
        string runId;

        // 1. An inline run, killed while its Delay runs.
        await using (var first = HostProcess.Start(Arguments()))
        {
            await first.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
            using var response = await client.PostAsJsonAsync($"{first.Url}/v3/workflows/settle/runs?wait=0", new { });
            runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await Eventually.GetAsync(() => RunAsync(client, first, runId), r => Started(r, "wait", 1), TimeSpan.FromSeconds(20), "the delay to start");
            await first.KillAsync();
        }

        // 2. Restarted: a Hangfire job resumes the inline run at the Delay; killed again while it runs.
        await using (var second = HostProcess.Start(Arguments()))
        {
            await second.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
            await Eventually.GetAsync(() => RunAsync(client, second, runId), r => Started(r, "wait", 2), TimeSpan.FromSeconds(20), "the resumed delay to start");
            await second.KillAsync();
        }

        // 3. Restarted again: the job left "Processing" is requeued and the run finishes.
        await using var third = HostProcess.Start(Arguments());
        await third.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
        var run = await Eventually.GetAsync(
            () => RunAsync(client, third, runId), r => r.GetProperty("status").GetString() == "Completed", TimeSpan.FromSeconds(30), "the run to complete");

        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["wait", "respond"], steps.Select(s => s.GetProperty("activityId").GetString()));
        Assert.Equal([3, 1], steps.Select(s => s.GetProperty("attempt").GetInt32()));
        Assert.All(steps, s => Assert.Equal("Done", s.GetProperty("outcome").GetString()));
        var all = await client.GetFromJsonAsync<JsonElement>($"{third.Url}/v3/runs");
        Assert.Equal(1, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_program_exits_non_zero_naming_the_invalid_definition()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows"));
        var file = Path.Combine(_root.FullName, "workflows", "broken.json");
        await File.WriteAllTextAsync(file, """{ "id": "broken", "version": 1, "start": "nowhere", "activities": { "a": { "type": "Fail", "inputs": { "reason": "x" } } } }""");

        await using var host = HostProcess.Start(Arguments());
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Supervisor did not start: ", host.Output, StringComparison.Ordinal);
        Assert.Contains($"{file}: /start: start activity 'nowhere' is not one of the activities", host.Output, StringComparison.Ordinal);
    }
}
