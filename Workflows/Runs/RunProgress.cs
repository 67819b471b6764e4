using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>What the running activity of a run last reported, and when.</summary>
public sealed record RunProgress(string ActivityId, JsonElement Value, DateTimeOffset ReportedAt);
