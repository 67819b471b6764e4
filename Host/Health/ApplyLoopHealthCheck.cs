using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Reconciler;

namespace Supervisor.Host.Health;

/// <summary>
/// Unhealthy when the reconcile loop is stuck: it has not woken for two intervals and a minute
/// (it wakes at least once per interval), or an apply has run longer than
/// <c>Supervisor:Reconciler:ApplyStuckAfter</c>. A device whose loop is stuck never converges,
/// so whatever watches <c>/v1/healthy</c> should restart the supervisor.
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

        if (current is { Applying: true, ApplyStartedAt: { } started } && now - started > settings.ApplyStuckAfter)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"An apply has been running since {started:O}, longer than Supervisor:Reconciler:ApplyStuckAfter ({settings.ApplyStuckAfter})."));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
