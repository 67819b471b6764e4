using Supervisor.Activities.Services.Config;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// A service's <c>composition</c> as read: the container's <see cref="Config"/>, and the services it waits for
/// (<c>depends_on</c>, and the one a <c>network_mode: service:NAME</c> shares), which order the starts but are not
/// part of the container.
/// </summary>
public sealed record ServiceComposition(ServiceConfig Config, IReadOnlyList<string> DependsOn)
{
    /// <summary>The composition of a service that gave none.</summary>
    public static ServiceComposition Default { get; } = new(new ServiceConfig(), []);
}
