using System.Text.Json;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads and validates target state v3: <c>{"&lt;deviceUuid&gt;": {"name", "config", "apps": {"&lt;appUuid&gt;":
/// {"id", "name", "class", "releases": {"&lt;commit&gt;": {"id", "services": {"&lt;name&gt;": {...}}, "volumes",
/// "networks"}}}}}}</c>. A document is accepted whole or refused with every problem and its path.
/// </summary>
/// <remarks>
/// <para>
/// Refused: anything but one JSON object with exactly one device; a target state v2 document or app; a value of the
/// wrong type anywhere; an app without <c>releases</c> or with more than one release; a service without a valid
/// <c>image</c>; an unknown <c>class</c>; unknown keys on apps, releases and services (typo protection; the
/// optional <c>contract</c>, <c>parent_app</c> and <c>is_host</c> are known); in <c>composition</c>, an invalid
/// <c>command</c>/<c>entrypoint</c>, <c>environment</c>, <c>labels</c>, <c>restart</c>,
/// <c>stop_grace_period</c>, <c>volumes</c> or <c>network_mode</c>. Other composition keys are kept unchecked.
/// </para>
/// <para>
/// A <c>command</c> or <c>entrypoint</c> string is split into words like a shell would for simple cases:
/// whitespace separates words, single and double quotes group them, a backslash escapes; there is no expansion.
/// </para>
/// </remarks>
public static class TargetStateParser
{
    // Deep enough for any compose file, shallow enough that a hostile document cannot exhaust the stack.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static TargetStateParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            return Refused("the document is empty; expected a target state v3 object");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Refused($"invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {WithoutPosition(e.Message)}");
        }

        using (document)
        {
            return Read(document.RootElement, json);
        }
    }

    /// <summary>Validates an already parsed document; <see cref="TargetState.Json"/> is its raw text.</summary>
    public static TargetStateParseResult Parse(JsonElement root) =>
        root.ValueKind == JsonValueKind.Undefined
            ? Refused("the document is empty; expected a target state v3 object")
            : Read(root, root.GetRawText());

    private static TargetStateParseResult Read(JsonElement root, string json)
    {
        TargetStateReader reader = new();
        TargetState? state = reader.ReadDocument(root, json);
        return state is not null && reader.Errors.Count == 0
            ? TargetStateParseResult.Accepted(state)
            : TargetStateParseResult.Refused(reader.Errors);
    }

    private static TargetStateParseResult Refused(string message) =>
        TargetStateParseResult.Refused([new TargetStateError(JsonPath.Root, message)]);

    /// <summary>System.Text.Json appends zero-based positions to its messages; ours are given one-based instead.</summary>
    private static string WithoutPosition(string message)
    {
        int position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return position < 0 ? message : message[..position];
    }
}
