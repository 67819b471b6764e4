using System.Globalization;
using System.Text.Json;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads typed values out of a JSON document while collecting every problem with its path, instead of stopping at
/// the first: whoever wrote the document should be able to fix it all in one go. Each reader returns null when the
/// value is missing or wrong, having recorded why.
/// </summary>
internal sealed class JsonChecks
{
    private readonly List<TargetStateError> errors = [];

    public IReadOnlyList<TargetStateError> Errors => errors;

    public int Count => errors.Count;

    public void Add(string path, string message) => errors.Add(new TargetStateError(path, message));

    /// <summary>How a value reads in "expected X, found Y".</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"a string (\"{Shorten(value.GetString()!)}\")",
        JsonValueKind.Number => $"a number ({value.GetRawText()})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public void Expected(string path, string expected, JsonElement found) =>
        Add(path, $"expected {expected}, found {Describe(found)}");

    /// <summary>
    /// The object's properties by key, in document order. A key written twice is an error: JSON readers disagree on
    /// which copy wins, so the document does not say one thing.
    /// </summary>
    public OrderedDictionary<string, JsonElement>? ReadObject(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Expected(path, "an object", value);
            return null;
        }

        OrderedDictionary<string, JsonElement> properties = new(StringComparer.Ordinal);
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (!properties.TryAdd(property.Name, property.Value))
            {
                Add(JsonPath.Property(path, property.Name), $"the key \"{property.Name}\" is written more than once");
            }
        }

        return properties;
    }

    /// <summary>Records every key that is not one of <paramref name="allowed"/>, to catch typos.</summary>
    public void RejectUnknownKeys(
        OrderedDictionary<string, JsonElement> properties, string path, string what, IReadOnlyList<string> allowed)
    {
        foreach (string key in properties.Keys)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                Add(
                    JsonPath.Property(path, key),
                    $"unknown key \"{key}\" in {what}; expected {string.Join(", ", allowed)}");
            }
        }
    }

    public string? ReadString(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Expected(path, "a string", value);
        return null;
    }

    public bool? ReadBoolean(JsonElement value, string path)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Expected(path, "a boolean", value);
        return null;
    }

    public long? ReadInteger(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number))
        {
            return number;
        }

        Expected(path, "an integer", value);
        return null;
    }

    /// <summary>An object whose values are all strings, such as <c>config</c> or <c>environment</c>.</summary>
    public OrderedDictionary<string, string>? ReadStringMap(JsonElement value, string path)
    {
        OrderedDictionary<string, JsonElement>? properties = ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = Count;
        OrderedDictionary<string, string> map = new(StringComparer.Ordinal);
        foreach ((string key, JsonElement item) in properties)
        {
            if (ReadString(item, JsonPath.Property(path, key)) is { } text)
            {
                map[key] = text;
            }
        }

        return Count == before ? map : null;
    }

    /// <summary>
    /// An optional <see cref="ReadStringMap"/> member of <paramref name="properties"/>: empty when absent, and empty
    /// (its problems recorded) when malformed, for readers that go on to report every problem.
    /// </summary>
    public OrderedDictionary<string, string> ReadOptionalStringMap(OrderedDictionary<string, JsonElement> properties, string key, string path)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.TryGetValue(key, out JsonElement value)
            ? ReadStringMap(value, JsonPath.Property(path, key)) ?? new OrderedDictionary<string, string>()
            : new OrderedDictionary<string, string>();
    }

    /// <summary>A required key: records that it is missing, with <paramref name="why"/> appended.</summary>
    public bool TryGetRequired(
        OrderedDictionary<string, JsonElement> properties, string key, string path, string why, out JsonElement value)
    {
        if (properties.TryGetValue(key, out value))
        {
            return true;
        }

        Add(JsonPath.Property(path, key), $"\"{key}\" is missing; {why}");
        return false;
    }

    private static string Shorten(string text) =>
        text.Length <= 60 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..57]}...");
}
