using System.Text.Json;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// The compose keys of a service (<c>composition</c>) that the supervisor acts on, typed and checked. Compose has
/// many more keys; those are kept in <see cref="Raw"/> without being checked, so a release built with a newer
/// compose file still applies.
/// </summary>
public sealed class ServiceComposition
{
    /// <summary>balena's default, so services get time to flush their state before SIGKILL.</summary>
    public static readonly TimeSpan DefaultStopGracePeriod = TimeSpan.FromSeconds(10);

    // Declared before Default: static initialisers run in textual order, and Default's constructor reads these.
    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();

    /// <summary>The composition of a service that gave none: balena's defaults.</summary>
    public static ServiceComposition Default { get; } = new();

    /// <summary>
    /// <c>command</c>: <see langword="null"/> to keep the image's; an empty list clears it. A string is split into
    /// words as <see cref="TargetStateParser"/> describes.
    /// </summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary><c>entrypoint</c>, like <see cref="Command"/>.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>The composition's own <c>environment</c>, before the service's top-level one is laid over it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = EmptyMap;

    /// <summary>The composition's own <c>labels</c>, before the service's top-level ones are laid over them.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyMap;

    public RestartPolicy Restart { get; init; } = RestartPolicy.Always;

    public TimeSpan StopGracePeriod { get; init; } = DefaultStopGracePeriod;

    public IReadOnlyList<ServiceMount> Volumes { get; init; } = [];

    /// <summary><c>network_mode</c> as written (<c>host</c>, <c>bridge</c>, <c>service:x</c>...), or null.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>The whole composition object as received, unknown keys included; null when there was none.</summary>
    public JsonElement? Raw { get; init; }
}
