namespace Supervisor.Activities.Engine;

/// <summary>A network as the engine holds it, with the labels it was created with.</summary>
public sealed record EngineNetwork(string Id, string Name, IReadOnlyDictionary<string, string> Labels);
