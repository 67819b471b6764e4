namespace Supervisor.Workflows.Definitions;

/// <summary>A set of definitions that were valid together: ids and HTTP routes are unique across it.</summary>
public sealed class DefinitionSet
{
    public DefinitionSet(IReadOnlyDictionary<string, WorkflowDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        Definitions = definitions;
    }

    /// <summary>The definitions by workflow id (ordinal), in the order of their sources.</summary>
    public IReadOnlyDictionary<string, WorkflowDefinition> Definitions { get; }
}
