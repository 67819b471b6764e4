using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Reconciler.Planning;

namespace Supervisor.Reconciler.Current;

/// <summary>
/// What the device holds right now, as the planner needs it: gathered by the caller from the engine, the image
/// store and the update locks, so that <see cref="ReconcilePlanner"/> itself does no I/O and can be tested with
/// hand-built values.
/// </summary>
public sealed class CurrentState
{
    /// <summary>Nothing on the device: a first install.</summary>
    public static CurrentState Empty { get; } = new();

    /// <summary>
    /// The supervised containers. Containers without the supervisor's app, service and commit labels are ignored:
    /// the supervisor never touches what it did not create.
    /// </summary>
    public IReadOnlyList<EngineContainer> Containers { get; init; } = [];

    /// <summary>
    /// The engine's image id behind each name it holds (<c>repo:tag</c> and <c>repo@digest</c>): a service whose
    /// container was created from another id under the same name (a local image rebuilt, as <c>balena push</c> does
    /// every time) has changed, though the target names the same image.
    /// </summary>
    public IReadOnlyDictionary<string, string> ImageIds { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The app networks this supervisor created (its instance's), by their labels.</summary>
    public IReadOnlyList<EngineNetwork> Networks { get; init; } = [];

    /// <summary>
    /// The named volumes this supervisor made, and those no supervisor labelled (made by the engine on the fly, as
    /// earlier Supervisors let it), with their labels; never another instance's.
    /// </summary>
    public IReadOnlyList<EngineVolume> Volumes { get; init; } = [];

    /// <summary>The image store's rows, one per image name, app, service and release.</summary>
    public IReadOnlyList<ImageRecord> Images { get; init; } = [];

    /// <summary>Uuids of the apps whose update locks a user holds right now.</summary>
    public IReadOnlySet<string> LockedApps { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Services stopped through the device API. They stay stopped until a new release of their app arrives (or the
    /// supervisor restarts, which empties this set), so the planner must not start them again.
    /// </summary>
    public IReadOnlySet<(string AppUuid, string ServiceName)> StoppedByApi { get; init; } =
        new HashSet<(string AppUuid, string ServiceName)>();

    /// <summary>The same state as if no user held an update lock: a forced apply plans with it.</summary>
    public CurrentState WithoutLocks() => new()
    {
        Containers = Containers,
        ImageIds = ImageIds,
        Networks = Networks,
        Volumes = Volumes,
        Images = Images,
        LockedApps = new HashSet<string>(StringComparer.Ordinal),
        StoppedByApi = StoppedByApi,
    };
}
