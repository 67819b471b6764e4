using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Builds the model from a file that matched the schema, so shapes and types are already right;
/// what it still checks is the syntax inside strings: references, the route and the schedule.
/// </summary>
internal sealed class DefinitionReader
{
    private readonly string source;
    private readonly List<DefinitionError> errors;

    public DefinitionReader(string source, List<DefinitionError> errors)
    {
        this.source = source;
        this.errors = errors;
    }

    public WorkflowDefinition Read(JsonElement root, string content, string contentHash)
    {
        var activities = new OrderedDictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var activity in root.GetProperty("activities").EnumerateObject())
        {
            // A duplicate id was reported already; as JSON does, the last one counts.
            activities[activity.Name] = ReadActivity(activity.Name, activity.Value);
        }

        return new WorkflowDefinition
        {
            Id = root.GetProperty("id").GetString()!,
            Version = root.GetProperty("version").GetInt32(),
            Description = root.TryGetProperty("description", out var description) ? description.GetString() : null,
            Queue = root.TryGetProperty("queue", out var queue) ? queue.GetString()! : WorkflowQueues.Default,
            Start = root.GetProperty("start").GetString()!,
            Activities = activities,
            Trigger = root.TryGetProperty("trigger", out var trigger) ? ReadTrigger(trigger) : null,
            Source = source,
            ContentHash = contentHash,
            Content = content,
        };
    }

    private ActivityNode ReadActivity(string id, JsonElement activity)
    {
        var location = JsonLocation.Of("activities", id);
        var inputs = new OrderedDictionary<string, InputValue>(StringComparer.Ordinal);
        if (activity.TryGetProperty("inputs", out var given))
        {
            foreach (var input in given.EnumerateObject())
            {
                inputs[input.Name] = ReadInput(JsonLocation.Child(JsonLocation.Child(location, "inputs"), input.Name), input.Value);
            }
        }

        OrderedDictionary<string, string?>? next = null;
        if (activity.TryGetProperty("next", out var outcomes))
        {
            next = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var outcome in outcomes.EnumerateObject())
            {
                next[outcome.Name] = outcome.Value.ValueKind == JsonValueKind.Null ? null : outcome.Value.GetString();
            }
        }

        return new ActivityNode(id, activity.GetProperty("type").GetString()!, inputs, next);
    }

    private InputValue ReadInput(string location, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && ReferenceSyntax.IsReference(value.GetString()!))
        {
            var path = value.GetString()!;
            if (ReferenceSyntax.TryParse(path, out var reference, out var reason))
            {
                return reference;
            }

            errors.Add(new DefinitionError(source, location, $"'{path}' is not a valid reference: {reason}; a reference is {ReferenceSyntax.Forms}"));
        }

        // The document goes away after loading; the definition keeps its literals.
        return new LiteralInput(value.Clone());
    }

    private WorkflowTrigger ReadTrigger(JsonElement trigger) => new(
        trigger.TryGetProperty("http", out var http) ? ReadHttp(http) : null,
        trigger.TryGetProperty("schedule", out var schedule) ? ReadSchedule(schedule) : null);

    private HttpTrigger ReadHttp(JsonElement http)
    {
        var route = http.GetProperty("route").GetString()!;
        try
        {
            RoutePatternFactory.Parse(route);
        }
        catch (RoutePatternException e)
        {
            errors.Add(new DefinitionError(source, JsonLocation.Of("trigger", "http", "route"), $"route '{route}' is not a valid route template: {e.Message}"));
        }

        return new HttpTrigger(http.GetProperty("method").GetString()!, route);
    }

    private ScheduleTrigger ReadSchedule(JsonElement schedule)
    {
        var location = JsonLocation.Of("trigger", "schedule");
        var cron = schedule.TryGetProperty("cron", out var cronValue) ? cronValue.GetString() : null;
        var intervalText = schedule.TryGetProperty("interval", out var intervalValue) ? intervalValue.GetString() : null;
        if ((cron is null) == (intervalText is null))
        {
            errors.Add(new DefinitionError(source, location, "a schedule needs exactly one of 'cron' and 'interval'"));
        }

        if (cron is not null && CronSyntax.Check(cron) is { } problem)
        {
            errors.Add(new DefinitionError(source, JsonLocation.Child(location, "cron"), problem));
        }

        TimeSpan? interval = null;
        if (intervalText is not null)
        {
            if (!ScheduleInterval.TryParse(intervalText, out var parsed))
            {
                errors.Add(new DefinitionError(source, JsonLocation.Child(location, "interval"), $"interval '{intervalText}' is not hh:mm:ss"));
            }
            else if (ScheduleInterval.ToCron(parsed) is null)
            {
                errors.Add(new DefinitionError(source, JsonLocation.Child(location, "interval"), $"interval '{intervalText}' cannot be scheduled: {ScheduleInterval.Rule}"));
            }
            else
            {
                interval = parsed;
            }
        }

        return new ScheduleTrigger(
            cron,
            interval,
            schedule.TryGetProperty("input", out var input) ? input.Clone() : null,
            schedule.TryGetProperty("runAtStartup", out var atStartup) && atStartup.GetBoolean());
    }
}
