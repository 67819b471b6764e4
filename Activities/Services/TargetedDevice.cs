namespace Supervisor.Activities.Services;

/// <summary>The device as the accepted target names it.</summary>
public sealed record TargetedDevice(string Uuid, string Name);
