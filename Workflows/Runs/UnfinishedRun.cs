namespace Supervisor.Workflows.Runs;

/// <summary>A run the journal holds as Pending or Running, with the Hangfire job that executes it (null for an inline run).</summary>
public sealed record UnfinishedRun(string RunId, string WorkflowId, string? JobId);
