using System.Buffers;
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

    /// <summary>
    /// A JSON object whose members <paramref name="writeMembers"/> writes, straight out as UTF-8
    /// and read once: cheaper than building a tree of nodes and serialising it, which counts where
    /// every request builds one (a run's input, each activity's inputs).
    /// </summary>
    public static JsonElement WriteObject(Action<Utf8JsonWriter> writeMembers)
    {
        ArgumentNullException.ThrowIfNull(writeMembers);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
