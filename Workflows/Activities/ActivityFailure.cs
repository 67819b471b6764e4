namespace Supervisor.Workflows.Activities;

/// <summary>
/// An activity's decision that the run has failed, with a machine-readable reason such as
/// <c>Locked</c> or <c>NotFound</c> that callers map (the device API turns <c>Locked</c> into 423).
/// </summary>
public sealed record ActivityFailure(string Reason, string Message);
