namespace Supervisor.Workflows.Definitions;

/// <summary>An activity input in a definition: a literal JSON value or a reference.</summary>
public abstract record InputValue;
