using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Supervisor.Host.Health;
using Supervisor.Reconciler.Apply;

namespace Supervisor.Tests.Host;

public sealed class ApplyLoopHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ReconcilerOptions _options = new() { Interval = TimeSpan.FromMinutes(1), ApplyStuckAfter = TimeSpan.FromHours(2) };

    private async Task<HealthStatus> CheckAsync(ApplyStatus status) =>
        (await new ApplyLoopHealthCheck(status, Options.Create(_options), _time).CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task A_loop_that_woke_within_two_intervals_and_a_minute_is_healthy_and_one_silent_longer_is_not()
    {
        var status = new ApplyStatus(_time);
        Assert.Equal(HealthStatus.Healthy, await CheckAsync(status));
        status.Heartbeat();

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HealthStatus.Healthy, await CheckAsync(status));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, await CheckAsync(status));
    }

    [Fact]
    public async Task An_apply_running_longer_than_ApplyStuckAfter_is_unhealthy()
    {
        var status = new ApplyStatus(_time);
        status.Update(s => s with { Applying = true, ApplyStartedAt = _time.GetUtcNow() });
        _time.Advance(TimeSpan.FromHours(2));
        status.Heartbeat();
        Assert.Equal(HealthStatus.Healthy, await CheckAsync(status));

        _time.Advance(TimeSpan.FromSeconds(1));
        status.Heartbeat();
        Assert.Equal(HealthStatus.Unhealthy, await CheckAsync(status));
    }

    [Fact]
    public async Task A_faulted_loop_is_unhealthy_at_once_naming_the_cause_and_healthy_again_once_it_recovers()
    {
        var status = new ApplyStatus(_time);
        status.Heartbeat();
        status.Faulted("The apply could not be queued: database or disk is full");

        var faulted = await new ApplyLoopHealthCheck(status, Options.Create(_options), _time).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, faulted.Status);
        Assert.Contains("database or disk is full", faulted.Description, StringComparison.Ordinal);
        Assert.Contains(_time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), faulted.Description, StringComparison.Ordinal);

        // A fault seen again keeps its start, so that the message says how long the loop has been faulted.
        _time.Advance(TimeSpan.FromSeconds(30));
        status.Faulted("A reconcile pass failed: database or disk is full");
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(30), status.Current.FaultSince);
        Assert.Equal(HealthStatus.Unhealthy, await CheckAsync(status));

        status.Recovered();
        Assert.Equal(HealthStatus.Healthy, await CheckAsync(status));
        Assert.Null(status.Current.FaultSince);
    }
}
