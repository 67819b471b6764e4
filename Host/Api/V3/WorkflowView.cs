using System.Text.Json;
using System.Text.Json.Serialization;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Host.Api.V3;

/// <summary>A definition as the API lists it; shown alone, it also carries its JSON and its graph.</summary>
public sealed record WorkflowView(
    string Id,
    int Version,
    string? Description,
    string Queue,
    string Source,
    string ContentHash,
    HttpTrigger? Http,
    object? Schedule)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Definition { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Graph { get; init; }

    public static WorkflowView Summary(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var schedule = definition.Trigger?.Schedule is { } s ? new { s.Cron, interval = s.Interval?.ToString(), s.RunAtStartup } : null;
        return new(definition.Id, definition.Version, definition.Description, definition.Queue, definition.Source, definition.ContentHash,
            definition.Trigger?.Http, schedule);
    }

    public static WorkflowView Detail(WorkflowDefinition definition)
    {
        using var document = JsonDocument.Parse(definition.Content);
        return Summary(definition) with { Definition = document.RootElement.Clone(), Graph = WorkflowGraph.ToMermaid(definition) };
    }
}
