namespace Supervisor.Workflows.Definitions;

/// <summary>How a workflow starts besides <c>POST /v3/workflows/{id}/runs</c>; either part may be absent.</summary>
public sealed record WorkflowTrigger(HttpTrigger? Http, ScheduleTrigger? Schedule);
