using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// An action on an app that another supervisor operation holds for longer than
/// <c>AppLockWait</c>: 503 Busy with Retry-After, never 423 (which balena's clients read as a
/// user's update lock); a user's lock still answers 423.
/// </summary>
public sealed class BusyAppAnswerTests : IAsyncLifetime
{
    private ActionDevice _device = null!;

    // The services ignore SIGTERM: a restart holds the app for its whole stop grace period, far
    // longer than the app lock wait.
    public async Task InitializeAsync() => _device = await ActionDevice.StartAsync(
        "busy", ["main", "side"], ["main", "side"], new Dictionary<string, string?> { ["Supervisor:AppLockWait"] = "00:00:01" }, slowStop: TimeSpan.FromSeconds(8));

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task A_different_action_on_an_app_busy_with_a_long_restart_answers_503_Busy_and_a_users_lock_still_answers_423()
    {
        var restart = _device.PostAsync($"/v2/applications/{_device.AppId}/restart-service", new { serviceName = "main" });
        // The supervisor's own lock file appears once the restart holds the app.
        await Fixtures.Eventually.TrueAsync(() => File.Exists(_device.LockFile("main")), TimeSpan.FromSeconds(30), "the restart's lock file");

        using (var busy = await _device.PostAsync($"/v2/applications/{_device.AppId}/stop-service", new { serviceName = "side" }))
        {
            var body = await busy.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(busy.StatusCode == HttpStatusCode.ServiceUnavailable, $"{busy.StatusCode}: {body}");
            Assert.Equal("failed", body.GetProperty("status").GetString());
            Assert.Contains("busy with another supervisor operation", body.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
            var runId = Assert.Single(busy.Headers.GetValues("Supervisor-Run-Id"));
            var run = await _device.Client.GetFromJsonAsync<JsonElement>($"/v3/runs/{runId}");
            Assert.Equal(("Failed", "Busy"), (run.GetProperty("status").GetString(), run.GetProperty("reason").GetString()));
        }

        Assert.True((await _device.ContainerAsync("side")).Running);

        _device.UserLock("side");
        using (var locked = await _device.PostAsync($"/v2/applications/{_device.AppId}/stop-service", new { serviceName = "side" }))
        {
            Assert.True(locked.StatusCode == HttpStatusCode.Locked, $"{locked.StatusCode}: {await locked.Content.ReadAsStringAsync()}");
        }

        using var restarted = await restart;
        Assert.True(restarted.StatusCode == HttpStatusCode.OK, $"{restarted.StatusCode}: {await restarted.Content.ReadAsStringAsync()}");
        Assert.True((await _device.ContainerAsync("side")).Running);
    }
}
