namespace Supervisor.Workflows.Runs;

/// <summary>A reference could not be resolved when the activity started; the run faults with this message.</summary>
public sealed class WorkflowReferenceException(string message) : Exception(message);
