using Supervisor.Activities.Engine;

namespace Supervisor.Activities.Services;

/// <summary>Finds a service's containers by the supervisor's labels.</summary>
public static class ServiceContainers
{
    /// <summary>A service's containers; of one release (as <see cref="ServiceContainerName.ReleaseOf"/> reads it) when a commit is given.</summary>
    public static async Task<IReadOnlyList<EngineContainer>> FindAsync(IDockerEngine engine, ServiceInput service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(service);
        var labels = new Dictionary<string, string?>
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.AppUuid] = service.AppUuid,
            [ServiceLabels.ServiceName] = service.ServiceName,
        };
        var containers = await engine.ListContainersAsync(labels, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(service.Commit)
            ? containers
            : [.. containers.Where(c => ServiceContainerName.ReleaseOf(c) == service.Commit)];
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

    /// <summary>Stops the running ones among <paramref name="containers"/>, each with the grace period; returns their ids.</summary>
    public static async Task<IReadOnlyList<string>> StopRunningAsync(IDockerEngine engine, IEnumerable<EngineContainer> containers, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var stopped = new List<string>();
        foreach (var container in containers.Where(c => c.Running))
        {
            await engine.StopContainerAsync(container.Id, gracePeriod, cancellationToken).ConfigureAwait(false);
            stopped.Add(container.Id);
        }

        return stopped;
    }

    /// <summary>
    /// Stops (with the grace period) and removes <paramref name="containers"/>, without force; one
    /// already gone counts as removed. Returns the ids this call removed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StopAndRemoveAsync(IDockerEngine engine, IEnumerable<EngineContainer> containers, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var removed = new List<string>();
        foreach (var container in containers)
        {
            try
            {
                if (container.Running)
                {
                    await engine.StopContainerAsync(container.Id, gracePeriod, cancellationToken).ConfigureAwait(false);
                }

                await engine.RemoveContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                removed.Add(container.Id);
            }
            catch (EngineNotFoundException)
            {
                // Removed already, by an earlier attempt or by hand.
            }
        }

        return removed;
    }
}
