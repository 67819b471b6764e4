using System.Text.Json;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Finds properties given twice in one object. System.Text.Json keeps the last silently, so a
/// copied activity whose id was not changed would replace the first without a word.
/// </summary>
internal static class DuplicateMembers
{
    public static void Find(string source, JsonElement element, string location, List<DefinitionError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var child = JsonLocation.Child(location, property.Name);
                    if (!seen.Add(property.Name))
                    {
                        errors.Add(new DefinitionError(source, child, location == "/activities"
                            ? $"activity id '{property.Name}' is used more than once; only the last would count, so give each activity its own id"
                            : $"property '{property.Name}' is given more than once; only the last would count"));
                    }

                    Find(source, property.Value, child, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Find(source, item, JsonLocation.Child(location, index.ToString(System.Globalization.CultureInfo.InvariantCulture)), errors);
                    index++;
                }

                break;
        }
    }
}
