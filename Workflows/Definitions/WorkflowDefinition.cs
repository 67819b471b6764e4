namespace Supervisor.Workflows.Definitions;

/// <summary>
/// One workflow as an operator wrote it, validated. A run is pinned to <see cref="ContentHash"/>
/// and keeps <see cref="Content"/>, so that editing the file never changes a run under way.
/// </summary>
public sealed class WorkflowDefinition
{
    public required string Id { get; init; }

    public required int Version { get; init; }

    public string? Description { get; init; }

    /// <summary>The id of the first activity.</summary>
    public required string Start { get; init; }

    /// <summary>The activities by id, in the order the file lists them.</summary>
    public required IReadOnlyDictionary<string, ActivityNode> Activities { get; init; }

    public WorkflowTrigger? Trigger { get; init; }

    /// <summary>The Hangfire queue background runs go through: <c>default</c>, <c>fetch</c> or <c>removal</c>.</summary>
    public string Queue { get; init; } = WorkflowQueues.Default;

    /// <summary>Where the definition came from (a file path, or a label such as <c>journal</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/> as UTF-8.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The definition's JSON text exactly as loaded.</summary>
    public required string Content { get; init; }
}
