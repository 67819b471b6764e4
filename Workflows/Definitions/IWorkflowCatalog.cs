namespace Supervisor.Workflows.Definitions;

/// <summary>The active workflow definitions, and the way back to the exact version a run was pinned to.</summary>
public interface IWorkflowCatalog
{
    IReadOnlyCollection<WorkflowDefinition> All { get; }

    WorkflowDefinition? Find(string workflowId);

    /// <summary>
    /// The definition a run started with: the active one when its hash matches, else the journal's
    /// copy of the content, parsed again.
    /// </summary>
    WorkflowDefinition Rehydrate(string contentHash, string content);
}
