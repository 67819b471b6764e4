namespace Supervisor.Activities.Engine;

/// <summary>An image as the engine holds it: its id, the tags and digests that name it.</summary>
public sealed record EngineImage(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    long Size,
    DateTimeOffset? Created);
