using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;

namespace Supervisor.Tests.Activities.Locks;

/// <summary>AcquireUpdateLocks and ReleaseUpdateLocks in a workflow, through the real host, with real lock files.</summary>
public sealed class UpdateLockTests : IAsyncLifetime
{
    private const string Guarded = """
        { "id": "guarded", "version": 1, "start": "lock",
          "activities": {
            "lock":    { "type": "AcquireUpdateLocks", "inputs": { "appUuid": "$.input.appUuid", "appId": "$.input.appId", "services": "$.input.services", "force": "$.input.force" },
                         "next": { "Acquired": "work", "Locked": "locked" } },
            "work":    { "type": "Mark", "inputs": { "label": "$.input.label", "delayMs": "$.input.delayMs" }, "next": { "Done": "release" } },
            "release": { "type": "ReleaseUpdateLocks", "inputs": { "appUuid": "$.input.appUuid", "appId": "$.input.appId" } },
            "locked":  { "type": "Fail", "inputs": { "reason": "Locked", "message": "$.activities.lock.output.message" } }
          } }
        """;

    private const string Faulty = """
        { "id": "faulty", "version": 1, "start": "lock",
          "activities": {
            "lock":   { "type": "AcquireUpdateLocks", "inputs": { "appUuid": "$.input.appUuid", "services": "$.input.services" }, "next": { "Acquired": "boom", "Locked": null } },
            "boom":   { "type": "Boom", "inputs": { "message": "in the middle" } }
          } }
        """;

    private static readonly string[] MainOnly = ["main"];

    private readonly string _lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-update-locks-" + Guid.NewGuid().ToString("N"));
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LockRoot"] = _lockRoot, ["Supervisor:AppLockWait"] = "00:00:00.300" },
            new Dictionary<string, string> { ["guarded"] = Guarded, ["faulty"] = Faulty });
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

    private string LockFile(string service, string name = "updates.lock") => Path.Combine(_lockRoot, "42", service, name);

    private void UserLock(string service, string name = "updates.lock")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile(service, name))!);
        File.WriteAllText(LockFile(service, name), string.Empty);
    }

    private async Task<JsonElement> RunAsync(string workflow, object input)
    {
        using var response = await _client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=30", input);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<JsonElement> GuardedAsync(string label, bool force = false, int delayMs = 0, params string[] services) =>
        RunAsync("guarded", new { appUuid = "app-1", appId = 42, services = services.Length == 0 ? ["main"] : services, force, label, delayMs });

    [Fact]
    public async Task Without_a_users_lock_the_action_runs_holding_the_lock_files_and_gives_them_back()
    {
        var run = await GuardedAsync("work");

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal(["work"], _host.Recorder.Started);
        Assert.False(File.Exists(LockFile("main")));
        Assert.False(File.Exists(LockFile("main", "resin-updates.lock")));
    }

    [Theory]
    [InlineData("updates.lock")]
    [InlineData("resin-updates.lock")]
    public async Task A_users_lock_ends_the_run_Locked_naming_app_and_service_and_touches_nothing(string lockName)
    {
        UserLock("main", lockName);

        var run = await GuardedAsync("never");

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("Locked", run.GetProperty("reason").GetString());
        Assert.Contains("app app-1, service main", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_host.Recorder.Started);
        Assert.True(File.Exists(LockFile("main", lockName)));
    }

    [Fact]
    public async Task A_users_lock_in_another_service_of_the_app_holds_the_whole_app()
    {
        UserLock("other");

        var refused = await GuardedAsync("never");

        Assert.Equal(("Failed", "Locked"), (refused.GetProperty("status").GetString(), refused.GetProperty("reason").GetString()));
        Assert.Contains("service other: updates.lock exists", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("never", _host.Recorder.Started);
        Assert.False(File.Exists(LockFile("main")));
    }

    [Fact]
    public async Task Force_removes_the_users_lock_of_the_touched_service_only()
    {
        UserLock("main");
        UserLock("other");

        var run = await GuardedAsync("forced", force: true);

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.False(File.Exists(LockFile("main")));
        Assert.True(File.Exists(LockFile("other")));
    }

    [Fact]
    public async Task Two_actions_on_one_app_go_one_after_the_other_and_a_long_wait_fails_Busy_not_Locked()
    {
        var first = GuardedAsync("first", delayMs: 1500);
        await Fixtures.Eventually.TrueAsync(() => _host.Recorder.Started.Contains("first"), TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(LockFile("main")));

        var second = await GuardedAsync("second");

        Assert.Equal(("Failed", "Busy"), (second.GetProperty("status").GetString(), second.GetProperty("reason").GetString()));
        Assert.Contains("busy with another supervisor operation", second.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Completed", (await first).GetProperty("status").GetString());
        Assert.Equal("Completed", (await GuardedAsync("third")).GetProperty("status").GetString());
        Assert.Equal(1, _host.Recorder.MaxConcurrency);
    }

    [Fact]
    public async Task A_users_lock_is_answered_at_once_without_queueing_behind_another_operation_on_the_app()
    {
        // Another operation holds the app (for longer than AppLockWait); a user's lock on another
        // service the action touches answers Locked naming the user's lock, not the wait.
        var first = GuardedAsync("first", delayMs: 1500);
        await Fixtures.Eventually.TrueAsync(() => _host.Recorder.Started.Contains("first"), TimeSpan.FromSeconds(10));
        UserLock("other");

        var refused = await GuardedAsync("never", services: ["other"]);

        Assert.Equal("Locked", refused.GetProperty("reason").GetString());
        Assert.Contains("service other: updates.lock exists", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Completed", (await first).GetProperty("status").GetString());
        Assert.DoesNotContain("never", _host.Recorder.Started);
    }

    [Fact]
    public async Task A_run_that_faults_while_holding_the_locks_gives_them_back()
    {
        var faulted = await RunAsync("faulty", new { appUuid = "app-1", services = MainOnly });
        Assert.Equal("Faulted", faulted.GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(_lockRoot, "app-1", "main", "updates.lock")));

        var next = await RunAsync("faulty", new { appUuid = "app-1", services = MainOnly });
        Assert.Equal("Faulted", next.GetProperty("status").GetString());
        Assert.Contains("in the middle", next.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
