using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;

namespace Supervisor.Tests.Activities.Locks;

/// <summary>
/// AcquireUpdateLocks may start before its run is on disk (a refusal changes nothing), but it writes
/// the run ahead before it waits for another operation on the app or takes a lock file.
/// </summary>
public sealed class LockWaitJournalTests : IAsyncLifetime
{
    private const string Guarded = """
        { "id": "guarded", "version": 1, "start": "lock",
          "activities": {
            "lock":    { "type": "AcquireUpdateLocks", "inputs": { "appUuid": "app-1", "appId": 42, "serviceName": "main" },
                         "next": { "Acquired": "work", "Locked": "locked" } },
            "work":    { "type": "Mark", "inputs": { "label": "$.input.label", "delayMs": "$.input.delayMs" }, "next": { "Done": "release" } },
            "release": { "type": "ReleaseUpdateLocks", "inputs": { "appUuid": "app-1", "appId": 42 } },
            "locked":  { "type": "Fail", "inputs": { "reason": "Locked", "message": "$.activities.lock.output.message" } }
          } }
        """;

    private readonly string _lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-lock-wait-" + Guid.NewGuid().ToString("N"));
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LockRoot"] = _lockRoot },
            new Dictionary<string, string> { ["guarded"] = Guarded });
        _client = _host.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        if (Directory.Exists(_lockRoot))
        {
            Directory.Delete(_lockRoot, recursive: true);
        }
    }

    private async Task<JsonElement> GuardedAsync(string label, int delayMs)
    {
        using var response = await _client.PostAsJsonAsync("/v3/workflows/guarded/runs?wait=60", new { label, delayMs });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_run_waiting_for_another_operation_on_the_app_is_already_in_the_history()
    {
        var first = GuardedAsync("first", delayMs: 3000);
        await Fixtures.Eventually.TrueAsync(() => _host.Recorder.Started.Contains("first"), TimeSpan.FromSeconds(10));

        var second = GuardedAsync("second", delayMs: 0);

        // While the second waits in AcquireUpdateLocks, both runs are listed as running.
        await Fixtures.Eventually.TrueAsync(
            () =>
            {
                var running = _client.GetFromJsonAsync<JsonElement>("/v3/runs?workflow=guarded&status=Running").GetAwaiter().GetResult();
                return running.GetProperty("total").GetInt32() == 2;
            },
            TimeSpan.FromSeconds(10),
            "the waiting run to be in the history");
        Assert.DoesNotContain("second", _host.Recorder.Started);
        Assert.Equal("Completed", (await first).GetProperty("status").GetString());
        Assert.Equal("Completed", (await second).GetProperty("status").GetString());
    }
}
