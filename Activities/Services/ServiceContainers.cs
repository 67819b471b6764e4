using Supervisor.Activities.Engine;

namespace Supervisor.Activities.Services;

/// <summary>Finds a service's containers by the supervisor's labels.</summary>
public static class ServiceContainers
{
    public static Task<IReadOnlyList<EngineContainer>> FindAsync(IDockerEngine engine, ServiceInput service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(service);
        var labels = new Dictionary<string, string?>
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.AppUuid] = service.AppUuid,
            [ServiceLabels.ServiceName] = service.ServiceName,
        };
        if (!string.IsNullOrEmpty(service.Commit))
        {
            labels[ServiceLabels.Commit] = service.Commit;
        }

        return engine.ListContainersAsync(labels, cancellationToken);
    }
}
