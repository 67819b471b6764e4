using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Locks;

/// <summary>The real program killed while it holds an update lock, then started again.</summary>
public sealed class LockCrashTests : IDisposable
{
    private const string Key = "lock-crash-key";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-lockcrash-");

    public void Dispose() => _root.Delete(recursive: true);

    private string LockRoot => Path.Combine(_root.FullName, "locks");

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
        $"--Supervisor:WorkflowsDir={Path.Combine(_root.FullName, "workflows")}",
        $"--Supervisor:LockRoot={LockRoot}",
        $"--Supervisor:ApiKey={Key}",
        $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock",
    ];

    [Fact]
    public async Task After_a_crash_the_leftover_lock_is_removed_a_users_lock_stays_and_the_resumed_run_takes_its_lock_again()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows"));
        await File.WriteAllTextAsync(Path.Combine(_root.FullName, "workflows", "hold.json"), """
            { "id": "hold", "version": 1, "start": "lock",
              "activities": {
                "lock":    { "type": "AcquireUpdateLocks", "inputs": { "appUuid": "app-1", "appId": 7, "services": ["main"], "force": true }, "next": { "Acquired": "wait", "Locked": null } },
                "wait":    { "type": "Delay", "inputs": { "duration": "00:05:00" }, "next": { "Done": "release" } },
                "release": { "type": "ReleaseUpdateLocks", "inputs": { "appUuid": "app-1", "appId": 7 } }
              } }
            """);
        var ours = Path.Combine(LockRoot, "7", "main", "updates.lock");
        // A user's lock in another service of the app: the forced action goes on beside it and never touches it.
        var users = Path.Combine(LockRoot, "7", "other", "updates.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(users)!);
        await File.WriteAllTextAsync(users, string.Empty);
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        string runId;
        await using (var first = HostProcess.Start(Arguments()))
        {
            await first.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
            using var response = await client.PostAsJsonAsync($"{first.Url}/v3/workflows/hold/runs?wait=0", new { });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await Eventually.TrueAsync(() => File.Exists(ours), TimeSpan.FromSeconds(20), "the supervisor's lock file");
            await first.KillAsync();
        }

        Assert.True(File.Exists(ours));

        await using var second = HostProcess.Start(Arguments());
        await second.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));

        await Eventually.TrueAsync(() => second.Output.Contains("update-lock files the supervisor held when it stopped", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the leftover cleanup");

        // The run resumed in "wait", which must not go on without the lock the cleanup removed: it takes it again first.
        var run = await Eventually.GetAsync(
            () => client.GetFromJsonAsync<JsonElement>($"{second.Url}/v3/runs/{runId}"),
            r => r.GetProperty("steps").GetArrayLength() == 4,
            TimeSpan.FromSeconds(30),
            "the resumed run's steps");
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["lock", "wait", "lock", "wait"], steps.Select(s => s.GetProperty("activityId").GetString()));
        Assert.Equal("Acquired", steps[2].GetProperty("outcome").GetString());
        Assert.Contains("Interrupted by a restart", steps[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(ours));
        Assert.True(File.Exists(users));
    }
}
