namespace Supervisor.Activities.Engine;

/// <summary>
/// A container as the engine reports it. <see cref="StartedAt"/> is known only from an inspect;
/// a listing leaves it null. <see cref="Mounts"/> maps each mount's path inside the container to
/// its source on the host (a bind's folder, a volume's data folder): the update locks' folder is
/// read from it, because a container keeps the folder it was created with whatever the target says now.
/// </summary>
public sealed record EngineContainer(
    string Id,
    string Name,
    string Image,
    string ImageId,
    string State,
    bool Running,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Created,
    DateTimeOffset? StartedAt)
{
    public IReadOnlyDictionary<string, string> Mounts { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
