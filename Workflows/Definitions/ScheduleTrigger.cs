using System.Text.Json;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// A recurring run. Exactly one of <paramref name="Cron"/> (five fields, or six with seconds) and
/// <paramref name="Interval"/> is set; <paramref name="RunAtStartup"/> also runs it once when the host starts.
/// </summary>
public sealed record ScheduleTrigger(string? Cron, TimeSpan? Interval, JsonElement? Input, bool RunAtStartup);
