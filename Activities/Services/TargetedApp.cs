namespace Supervisor.Activities.Services;

/// <summary>An app the accepted target names: its uuid, and the numeric id balena gives it when the target says.</summary>
public sealed record TargetedApp(string Uuid, long? LegacyId);
