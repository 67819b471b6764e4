using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervisor.Workflows.Activities;

/// <summary>The one JSON convention of workflow inputs, outputs and the journal: camelCase, enums as strings.</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
