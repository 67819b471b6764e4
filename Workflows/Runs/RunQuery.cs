namespace Supervisor.Workflows.Runs;

/// <summary>A page of runs, newest first, optionally of one workflow and in one status.</summary>
public sealed record RunQuery(string? WorkflowId = null, RunStatus? Status = null, int Page = 1, int PageSize = 50);
