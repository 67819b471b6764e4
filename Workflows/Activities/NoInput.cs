namespace Supervisor.Workflows.Activities;

/// <summary>The input of an activity that takes none.</summary>
public sealed record NoInput;
