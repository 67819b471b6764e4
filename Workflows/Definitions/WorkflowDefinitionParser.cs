using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Reads and validates one definition: JSON, then the schema in docs/workflow.schema.json, then
/// the rules that need the activity catalog. Every error of the file is reported at once.
/// </summary>
public static class WorkflowDefinitionParser
{
    /// <param name="source">Where the content came from (a file path); errors and the definition carry it.</param>
    /// <param name="content">The definition's JSON text.</param>
    /// <param name="catalog">The activity types the definition may use.</param>
    public static DefinitionParseResult Parse(string source, string content, IActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(catalog);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            var position = $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}";
            return DefinitionParseResult.Invalid([new DefinitionError(source, JsonLocation.Root, $"invalid JSON at {position}: {WithoutPosition(e.Message)}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            var errors = new List<DefinitionError>();
            DuplicateMembers.Find(source, root, JsonLocation.Root, errors);
            var schemaErrors = DefinitionSchema.Check(source, root);
            if (schemaErrors.Count > 0)
            {
                // The rules below assume the shape the schema guarantees.
                errors.AddRange(schemaErrors);
                return DefinitionParseResult.Invalid(errors);
            }

            var definition = new DefinitionReader(source, errors).Read(root, content, Hash(content));
            new DefinitionChecks(definition, catalog, errors).Run();
            return errors.Count == 0 ? DefinitionParseResult.Valid(definition) : DefinitionParseResult.Invalid(errors);
        }
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="content"/> as UTF-8: what a run is pinned to.</summary>
    public static string Hash(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    // System.Text.Json appends "LineNumber: 2 | BytePositionInLine: 4." in its own words; ours is one-based.
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at].TrimEnd();
    }
}
