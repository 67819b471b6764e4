namespace Supervisor.Activities.Engine;

/// <summary>An image as the engine holds it: its id, the tags and digests that name it.</summary>
public sealed record EngineImage(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    long Size,
    DateTimeOffset? Created)
{
    /// <summary>The image's own command (<c>CMD</c>); known only from an inspect.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];
}
