namespace Supervisor.Reconciler.Apply;

/// <summary>How a job an apply started ended: its run completed, or why not.</summary>
public sealed record ChildJobResult(string JobId, bool Completed, string? Reason, string? Message);
