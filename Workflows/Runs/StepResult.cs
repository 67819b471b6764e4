using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>What a finished activity left for the ones after it to refer to.</summary>
internal sealed record StepResult(string? Outcome, JsonElement? Output);
