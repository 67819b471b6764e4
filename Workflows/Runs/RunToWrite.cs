using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Runs;

/// <summary>A run to insert whole, with the definition it is pinned to and, for background runs, its Hangfire job.</summary>
internal readonly record struct RunToWrite(WorkflowDefinition Definition, WorkflowRun Run, string? JobId);
