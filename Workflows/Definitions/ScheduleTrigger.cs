using System.Text.Json;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// A recurring run. Exactly one of <paramref name="Cron"/> (as Hangfire reads it: five fields, six with seconds, or a macro) and
/// <paramref name="Interval"/> is set; <paramref name="RunAtStartup"/> also runs it once when the host starts.
/// </summary>
public sealed record ScheduleTrigger(string? Cron, TimeSpan? Interval, JsonElement? Input, bool RunAtStartup);
