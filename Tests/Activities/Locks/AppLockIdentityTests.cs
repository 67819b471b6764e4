using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Target;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host.Api;

namespace Supervisor.Tests.Activities.Locks;

/// <summary>
/// A lock is one lock whichever id names the app: the real host, the real engine and the lock
/// folder the containers actually mount (<c>LockRoot/&lt;numeric app id&gt;/&lt;service&gt;</c>,
/// as the reconciler creates them), with workflows that name the app by uuid only.
/// </summary>
public sealed class AppLockIdentityTests : IAsyncLifetime
{
    // An operator's workflow, as seen in the field: it names the app by uuid (the route's), not by numeric id.
    private const string RestartBoth = """
        { "id": "restart-both", "version": 1,
          "trigger": { "http": { "method": "POST", "route": "/workflows/apps/{appUuid}/restart-both" } },
          "start": "lock",
          "activities": {
            "lock":    { "type": "AcquireUpdateLocks", "inputs": { "appUuid": "$.input.appUuid", "services": ["main", "other"] },
                         "next": { "Acquired": "stop", "Locked": "locked" } },
            "stop":    { "type": "StopAppServices", "inputs": { "appUuid": "$.input.appUuid", "gracePeriod": "00:00:01" }, "next": { "Done": "start" } },
            "start":   { "type": "StartAppServices", "inputs": { "appUuid": "$.input.appUuid" }, "next": { "Done": "release" } },
            "release": { "type": "ReleaseUpdateLocks", "inputs": { "appUuid": "$.input.appUuid" } },
            "locked":  { "type": "Fail", "inputs": { "reason": "Locked", "message": "$.activities.lock.output.message" } }
          } }
        """;

    // The same workflow naming no services: the lock is then the whole app's, as balena's app-wide lock is.
    private static readonly string RestartAll = RestartBoth
        .Replace("restart-both", "restart-all", StringComparison.Ordinal)
        .Replace(""", "services": ["main", "other"]""", string.Empty, StringComparison.Ordinal);

    // Holds the app's locks for a while, as an API action under way does.
    private const string Hold = """
        { "id": "hold", "version": 1, "start": "lock",
          "activities": {
            "lock":    { "type": "AcquireUpdateLocks", "inputs": { "appUuid": "$.input.appUuid", "appId": "$.input.appId", "serviceName": "main" },
                         "next": { "Acquired": "wait", "Locked": "locked" } },
            "wait":    { "type": "Delay", "inputs": { "duration": "00:00:30" }, "next": { "Done": "release" } },
            "release": { "type": "ReleaseUpdateLocks", "inputs": { "appUuid": "$.input.appUuid", "appId": "$.input.appId" } },
            "locked":  { "type": "Fail", "inputs": { "reason": "Locked", "message": "$.activities.lock.output.message" } }
          } }
        """;

    private ActionDevice _device = null!;

    public async Task InitializeAsync() =>
        _device = await ActionDevice.StartAsync(
            "lock-identity", ["main", "other"], ["main", "other"], workflows: new Dictionary<string, string> { ["restart-both"] = RestartBoth, ["restart-all"] = RestartAll, ["hold"] = Hold });

    public async Task DisposeAsync() => await _device.DisposeAsync();

    private async Task<IReadOnlyList<(string Id, bool Running, DateTime StartedAt)>> BothAsync() =>
        [await _device.ContainerAsync("main"), await _device.ContainerAsync("other")];

    private static void AssertLocked(JsonElement run, string service)
    {
        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("Locked", run.GetProperty("reason").GetString());
        Assert.Contains($"service {service}", run.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operators_workflow_naming_the_app_by_uuid_is_refused_while_a_user_holds_the_lock_in_the_numeric_id_folder()
    {
        var before = await BothAsync();
        _device.UserLock("main");

        using var response = await _device.PostAsync($"/workflows/apps/{_device.AppUuid}/restart-both");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Locked, $"expected 423, got {response.StatusCode}: {text}");
        Assert.Contains("service main", text, StringComparison.Ordinal);
        Assert.Equal(before, await BothAsync());
        Assert.True(File.Exists(_device.LockFile("main")));
    }

    [Fact]
    public async Task A_workflow_that_names_no_services_takes_the_whole_apps_locks_and_is_refused_by_a_lock_on_any_service()
    {
        var before = await BothAsync();
        _device.UserLock("other");

        using var response = await _device.PostAsync($"/workflows/apps/{_device.AppUuid}/restart-all");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Locked, $"expected 423, got {response.StatusCode}: {text}");
        Assert.Contains("service other", text, StringComparison.Ordinal);
        Assert.Equal(before, await BothAsync());
    }

    [Fact]
    public async Task The_shipped_restart_service_given_only_the_uuid_is_refused_while_a_user_holds_the_lock()
    {
        var before = await _device.ContainerAsync("main");
        _device.UserLock("main");

        var run = await _device.RunAsync("restart-service", new { appUuid = _device.AppUuid, serviceName = "main" });

        AssertLocked(run, "main");
        Assert.Equal(before, await _device.ContainerAsync("main"));
    }

    [Fact]
    public async Task An_app_the_target_no_longer_has_is_locked_in_the_folder_its_containers_mount()
    {
        await _device.PostTargetAsync([], withApp: false);
        var before = await _device.ContainerAsync("main");
        _device.UserLock("main");

        var run = await _device.RunAsync("restart-service", new { appUuid = _device.AppUuid, serviceName = "main" });

        AssertLocked(run, "main");
        Assert.Equal(before, await _device.ContainerAsync("main"));
        // The plan does not remove the app's running services either.
        var plan = await _device.Client.GetFromJsonAsync<JsonElement>("/v3/plan");
        var blocked = Assert.Single(plan.GetProperty("blocked").EnumerateArray());
        Assert.Equal(_device.AppUuid, blocked.GetProperty("appUuid").GetString());
    }

    [Fact]
    public async Task Without_a_users_lock_an_app_the_target_no_longer_has_is_stopped_and_its_mounted_folder_given_back()
    {
        await _device.PostTargetAsync([], withApp: false);

        // stop-service, not restart-service: a restart recreates from the target, which no longer has the app.
        var run = await _device.RunAsync("stop-service", new { appUuid = _device.AppUuid, serviceName = "main" });

        ActionDevice.AssertCompleted(run);
        Assert.False((await _device.ContainerAsync("main")).Running);
        Assert.False(File.Exists(_device.LockFile("main")), "the supervisor gave back the lock it took in the mounted folder");
        Assert.False(Directory.Exists(Path.Combine(_device.LockRoot, _device.AppUuid)), "no lock was taken in a folder no container mounts");
    }

    [Fact]
    public async Task An_app_id_that_names_another_app_is_refused_as_invalid_and_nothing_restarts()
    {
        var before = await _device.ContainerAsync("main");

        var run = await _device.RunAsync("restart-service", new { appUuid = _device.AppUuid, appId = _device.OtherAppId, serviceName = "main" });

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("Invalid", run.GetProperty("reason").GetString());
        Assert.Contains($"App id {_device.OtherAppId} names app", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _device.ContainerAsync("main"));
    }

    [Fact]
    public async Task While_the_supervisor_holds_the_apps_locks_the_plan_does_not_count_the_app_as_locked()
    {
        using (var started = await _device.Client.PostAsJsonAsync("/v3/workflows/hold/runs?wait=0", new { appUuid = _device.AppUuid, appId = _device.AppId }))
        {
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(() => File.Exists(_device.LockFile("main")), TimeSpan.FromSeconds(10));
        // A new release: its plan moves the running containers to it, which needs the lock.
        await _device.PostTargetAsync(["main", "other"]);

        var target = (await _device.Host.Services.GetRequiredService<TargetStateStore>().GetAsync())!.State;
        var current = await _device.Host.Services.GetRequiredService<CurrentStateReader>().ReadAsync(target);
        Assert.DoesNotContain(_device.AppUuid, current.LockedApps);
        var plan = await _device.Client.GetFromJsonAsync<JsonElement>("/v3/plan");
        Assert.Empty(plan.GetProperty("blocked").EnumerateArray());
        Assert.Contains(plan.GetProperty("serviceChanges").EnumerateArray(), s => s.GetProperty("needsLock").GetBoolean());
    }
}
