using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>The journal entry that an activity has ended.</summary>
public sealed record StepEnd(int Sequence, DateTimeOffset EndedAt, string? Outcome, JsonElement? Output, string? Error);
