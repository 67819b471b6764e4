namespace Supervisor.Activities.Services.Config;

/// <summary>A compose <c>logging</c>: the engine's log driver and its options.</summary>
public sealed record ServiceLogging(string Driver, IReadOnlyDictionary<string, string> Options);
