using Microsoft.Extensions.Diagnostics.HealthChecks;
using Supervisor.Activities.Engine;

namespace Supervisor.Host.Health;

/// <summary>Healthy while the container engine answers a ping.</summary>
public sealed class EngineHealthCheck(IDockerEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await engine.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (EngineException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}
