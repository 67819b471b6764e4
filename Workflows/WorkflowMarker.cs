namespace Supervisor.Workflows;

internal static class WorkflowMarker;
