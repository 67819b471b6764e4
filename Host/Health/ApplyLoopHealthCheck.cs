using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Supervisor.Reconciler.Apply;

namespace Supervisor.Host.Health;

/// <summary>
/// Unhealthy when the reconcile loop is stuck: it has not woken for two intervals and a minute
/// (it wakes at least once per interval), or an apply has run longer than
/// <c>Supervisor:Reconciler:ApplyStuckAfter</c>; and, at once, while it is faulted (it cannot
/// apply because its own storage or Hangfire's failed, see <see cref="ApplySnapshot.Fault"/>).
/// A fault gets no grace: it is recorded only for failures that are not the device's, which a
/// watcher should hear of, and watchers (Docker's health check, balena's) already wait for a few
/// failed checks in a row. The loop recovers from a fault by itself once the cause is gone.
/// </summary>
public sealed class ApplyLoopHealthCheck(ApplyStatus status, IOptions<ReconcilerOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var current = status.Current;
        var silence = settings.Interval * 2 + TimeSpan.FromMinutes(1);
        if (current.LoopAliveAt is { } alive && now - alive > silence)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The reconcile loop has not woken since {alive:O} (more than {silence})."));
        }

        if (current.Fault is { } fault)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The reconcile loop cannot apply since {current.FaultSince:O}: {fault}"));
        }

        if (current is { Applying: true, ApplyStartedAt: { } started } && now - started > settings.ApplyStuckAfter)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"An apply has been running since {started:O}, longer than Supervisor:Reconciler:ApplyStuckAfter ({settings.ApplyStuckAfter})."));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
