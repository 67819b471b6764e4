using Supervisor.Activities.Networks;

namespace Supervisor.Activities.Engine;

/// <summary>A network to create: its name, its labels and its declared options (a bridge with addresses the engine picks when none are set).</summary>
public sealed record NetworkSpec
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public NetworkConfig Config { get; init; } = new();
}
