using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// The JSON Schema of the definition format (docs/workflow.schema.json, embedded), and the
/// translation of its verdicts into errors an operator can act on: the library's messages
/// ("All values fail against the false schema") say little about a definition.
/// </summary>
internal static partial class DefinitionSchema
{
    public const string ResourceName = "workflow.schema.json";

    private static readonly Lazy<(JsonSchema Schema, JsonDocument Document)> Loaded = new(Load);

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    /// <summary>The schema text as shipped in docs/.</summary>
    public static string Text
    {
        get
        {
            using var stream = typeof(DefinitionSchema).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The resource {ResourceName} is not embedded in {typeof(DefinitionSchema).Assembly.GetName().Name}.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public static List<DefinitionError> Check(string source, JsonElement definition)
    {
        var (schema, document) = Loaded.Value;
        var results = schema.Evaluate(definition, Options);
        var errors = new List<DefinitionError>();
        if (results.IsValid)
        {
            return errors;
        }

        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var location = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                var schemaPath = SchemaPath(detail.EvaluationPath.ToString());
                var reason = Translate(keyword, message, schemaPath, location, definition, document.RootElement);
                errors.Add(new DefinitionError(source, location.Length == 0 ? JsonLocation.Root : location, reason));
            }
        }

        if (errors.Count == 0)
        {
            errors.Add(new DefinitionError(source, JsonLocation.Root, "the definition does not match the schema docs/workflow.schema.json"));
        }

        return errors;
    }

    private static (JsonSchema, JsonDocument) Load()
    {
        var text = Text;
        return (JsonSchema.FromText(text), JsonDocument.Parse(text));
    }

    private static string Translate(string keyword, string message, string[] schemaPath, string location, JsonElement instanceRoot, JsonElement schemaRoot)
    {
        // A failing boolean schema reports no keyword; ours are all "additionalProperties": false.
        if (keyword.Length == 0 && schemaPath.Length > 0 && schemaPath[^1] == "additionalProperties")
        {
            var parent = Resolve(schemaRoot, schemaPath[..^1]);
            var allowed = parent is { } p && p.TryGetProperty("properties", out var properties)
                ? string.Join(", ", properties.EnumerateObject().Select(x => x.Name))
                : string.Empty;
            return $"unknown property '{LastMember(location)}'; the properties allowed here are: {allowed}";
        }

        var subschema = Resolve(schemaRoot, schemaPath);
        switch (keyword)
        {
            case "required":
                var names = RequiredNames().Match(message);
                return names.Success
                    ? $"required property {names.Groups[1].Value.Replace('"', '\'')} is missing"
                    : message;
            case "type":
                var types = TypeNames().Match(message);
                return types.Success
                    ? $"expected {types.Groups[2].Value.Replace(", ", " or ", StringComparison.Ordinal)}, found {types.Groups[1].Value}"
                    : message;
            case "enum" when subschema?.TryGetProperty("enum", out var values) == true:
                return $"{Describe(instanceRoot, location)} is not one of: {string.Join(", ", values.EnumerateArray().Select(v => v.ToString()))}";
            case "pattern" when subschema?.TryGetProperty("pattern", out var pattern) == true:
                // Under propertyNames the instance is the object the name leads to; the name is what failed.
                var value = schemaPath.Contains("propertyNames") ? $"'{LastMember(location)}'" : Describe(instanceRoot, location);
                return $"{value} does not match the pattern {pattern.GetString()}";
            case "minProperties":
                return "must have at least one property";
            case "minLength":
                return "must not be empty";
            case "minimum" when subschema?.TryGetProperty("minimum", out var minimum) == true:
                return $"{Describe(instanceRoot, location)} is less than {minimum}";
            default:
                return message;
        }
    }

    // The evaluation path goes through "$ref" segments; the schema document is resolved along it.
    private static string[] SchemaPath(string evaluationPath) =>
        evaluationPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Unescape).ToArray();

    private static JsonElement? Resolve(JsonElement schemaRoot, IEnumerable<string> path)
    {
        var current = schemaRoot;
        foreach (var segment in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out var next))
            {
                return null;
            }

            if (segment == "$ref")
            {
                var target = next.GetString() ?? string.Empty;
                if (!target.StartsWith("#/", StringComparison.Ordinal))
                {
                    return null;
                }

                var resolved = Resolve(schemaRoot, SchemaPath(target[1..]));
                if (resolved is null)
                {
                    return null;
                }

                next = resolved.Value;
            }

            current = next;
        }

        return current;
    }

    private static string Describe(JsonElement instanceRoot, string location)
    {
        var current = instanceRoot;
        foreach (var segment in SchemaPath(location))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else
            {
                return "the value";
            }
        }

        return current.ValueKind == JsonValueKind.String ? $"'{current.GetString()}'" : current.GetRawText();
    }

    private static string LastMember(string location) => Unescape(location[(location.LastIndexOf('/') + 1)..]);

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    [GeneratedRegex(@"\[(.*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredNames();

    [GeneratedRegex("^Value is \"([^\"]*)\" but should be \"([^\"]*)\"$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeNames();
}
