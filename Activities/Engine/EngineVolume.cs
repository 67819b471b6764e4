namespace Supervisor.Activities.Engine;

/// <summary>A named volume as the engine holds it, with the labels it was created with.</summary>
public sealed record EngineVolume(string Name, IReadOnlyDictionary<string, string> Labels);
