using System.Globalization;
using System.Text;

namespace Supervisor.Bench;

/// <summary>Workflow definitions made of a chain of identical activities.</summary>
public static class BenchDefinitions
{
    /// <summary>
    /// <paramref name="count"/> activities <c>a1</c> → <c>a2</c> → …, each of <paramref name="type"/>
    /// with the same inputs (a JSON object's text, or null for none).
    /// </summary>
    public static string Chain(string id, string type, int count, string? inputs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $$"""{ "id": "{{id}}", "version": 1, "start": "a1", "activities": {""");
        for (var i = 1; i <= count; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $$""" "a{{i}}": { "type": "{{type}}" """);
            if (inputs is not null)
            {
                json.Append(CultureInfo.InvariantCulture, $$""", "inputs": {{inputs}} """);
            }

            if (i < count)
            {
                json.Append(CultureInfo.InvariantCulture, $$""", "next": { "Done": "a{{i + 1}}" } """);
            }

            json.Append(i < count ? "}," : "}");
        }

        json.Append("} }");
        return json.ToString();
    }
}
