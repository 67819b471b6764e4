namespace Supervisor.Workflows.Activities;

/// <summary>One input or output of an activity type, by its JSON (camelCase) name.</summary>
public sealed record ActivityPort(string Name, ValueKind Kind, bool Required, string? Description = null);
