using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Supervisor.Activities.Engine;
using Supervisor.Reconciler.Apply;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>The purge's last step over the real engine, with the clock in the test's hands.</summary>
public sealed class AwaitAppRunningTests : IDisposable
{
    private static readonly string[] Services = ["main"];

    private readonly DockerEngine _engine = new(new DockerEngineOptions { DockerHost = EngineEnvironment.FromEnvironment().DockerHost }, null, NullLogger<DockerEngine>.Instance);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    // An app no container on the engine belongs to: its service never runs again.
    private readonly string _appUuid = "await" + Guid.NewGuid().ToString("N");

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task A_service_that_does_not_run_again_within_the_timeout_fails_the_run_TimedOut_naming_it()
    {
        var running = Execute(enabled: true, timeout: TimeSpan.FromMinutes(2));

        // The deadline was taken when the step began; the first look at the engine comes after it.
        _time.Advance(TimeSpan.FromMinutes(2));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(result.Outcome);
        Assert.Equal("TimedOut", result.Failure!.Reason);
        Assert.Contains($"main of app {_appUuid} did not run again within 00:02:00", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_reconcile_loop_off_nothing_would_bring_the_app_back_so_it_ends_at_once_saying_so()
    {
        var result = await Execute(enabled: false, timeout: TimeSpan.FromMinutes(2));

        Assert.Equal("Done", result.Outcome);
        Assert.False(result.Output!.Value.GetProperty("awaited").GetBoolean());
    }

    private Task<ActivityResult> Execute(bool enabled, TimeSpan timeout)
    {
        var activity = new AwaitAppRunning(_engine, Options.Create(new ReconcilerOptions { Enabled = enabled }), _time);
        var input = JsonSerializer.SerializeToElement(new { appUuid = _appUuid, services = Services, timeout = timeout.ToString() });
        var context = new ActivityContext { RunId = Guid.NewGuid().ToString("N"), WorkflowId = "purge-app", ActivityId = "await", Attempt = 1 };
        return activity.ExecuteAsync(input, context, CancellationToken.None);
    }
}
