namespace Supervisor.Activities.Engine;

/// <summary>
/// A container as the engine reports it. <see cref="StartedAt"/> is known only from an inspect;
/// a listing leaves it null.
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
    DateTimeOffset? StartedAt);
