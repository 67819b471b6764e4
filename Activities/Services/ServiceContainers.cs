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

    /// <summary>Every container of an app, of any service and release.</summary>
    public static Task<IReadOnlyList<EngineContainer>> FindAppAsync(IDockerEngine engine, string appUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var labels = new Dictionary<string, string?>
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.AppUuid] = appUuid,
        };
        return engine.ListContainersAsync(labels, cancellationToken);
    }

    /// <summary>The newest container of each of an app's services: the one a start or a restart acts on.</summary>
    public static IReadOnlyList<EngineContainer> NewestPerService(IEnumerable<EngineContainer> containers) =>
        containers
            .GroupBy(c => c.Labels.GetValueOrDefault(ServiceLabels.ServiceName) ?? string.Empty, StringComparer.Ordinal)
            .Select(g => g.MaxBy(c => c.Created)!)
            .ToList();
}
