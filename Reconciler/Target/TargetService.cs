using System.Text.Json;
using Supervisor.Activities.Images;

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
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The composition's labels with the top-level <c>labels</c> laid over them, like <see cref="Environment"/>.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Whether the service should be running; <c>running</c>, true unless the target says otherwise.</summary>
    public bool Running { get; init; } = true;

    /// <summary>The service's <c>contract</c> as written, or null; requirements are checked elsewhere.</summary>
    public JsonElement? Contract { get; init; }

    public ServiceComposition Composition { get; init; } = ServiceComposition.Default;

    public IReadOnlyList<string>? Command => Composition.Command;

    public IReadOnlyList<string>? Entrypoint => Composition.Entrypoint;

    public RestartPolicy Restart => Composition.Restart;

    public TimeSpan StopGracePeriod => Composition.StopGracePeriod;

    public IReadOnlyList<ServiceMount> Volumes => Composition.Volumes;

    public string? NetworkMode => Composition.NetworkMode;
}
