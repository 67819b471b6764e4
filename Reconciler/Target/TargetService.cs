using System.Text.Json;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Reconciler.Target;

/// <summary>A service of a release, identified by its name within the release.</summary>
public sealed class TargetService
{
    public required string Name { get; init; }

    /// <summary>The numeric service id (<c>id</c>); kept only because the v1/v2 API speaks it.</summary>
    public long? LegacyId { get; init; }

    /// <summary>The numeric image id (<c>image_id</c>); kept only because the v1/v2 API speaks it.</summary>
    public long? LegacyImageId { get; init; }

    public required ImageReference Image { get; init; }

    /// <summary>
    /// The composition's environment with the service's top-level <c>environment</c> laid over it: the top-level one
    /// holds the variables set in the dashboard, which must win over the values baked into the compose file.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => Config.Environment;

    /// <summary>The composition's labels with the top-level <c>labels</c> laid over them, like <see cref="Environment"/>.</summary>
    public IReadOnlyDictionary<string, string> Labels => Config.Labels;

    /// <summary>Whether the service should be running; <c>running</c>, true unless the target says otherwise.</summary>
    public bool Running { get; init; } = true;

    /// <summary>The service's <c>contract</c> as written, or null; requirements are checked elsewhere.</summary>
    public JsonElement? Contract { get; init; }

    /// <summary>The container's configuration, with the merged <see cref="Environment"/> and <see cref="Labels"/>.</summary>
    public ServiceConfig Config { get; init; } = new();

    /// <summary>The services of the release this one starts after: <c>depends_on</c>, and a <c>service:NAME</c> network mode.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public TimeSpan StopGracePeriod => Config.StopGracePeriod ?? ContainerCreateParameters.DefaultStopGracePeriod;
}
