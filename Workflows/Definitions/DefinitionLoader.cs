using Microsoft.AspNetCore.Routing.Patterns;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Loads a whole set of definitions, all or nothing: the host refuses to start with an invalid
/// definition rather than run half a set, and the operator gets every error of every file at once.
/// </summary>
public static class DefinitionLoader
{
    /// <summary>The definitions in <paramref name="directory"/>, as <see cref="DefinitionFiles"/> tells them, in ordinal file-name order.</summary>
    /// <exception cref="DefinitionValidationException">The directory is missing, a definition cannot be read, or any is invalid.</exception>
    public static DefinitionSet LoadDirectory(string directory, IActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DefinitionValidationException([new DefinitionError(directory, JsonLocation.Root, $"the workflow definitions directory '{directory}' does not exist")]);
        }

        return Load(DefinitionFiles.Read(directory), catalog);
    }

    /// <summary>Definitions given as text, e.g. by tests or a reload; each source labels its errors.</summary>
    /// <exception cref="DefinitionValidationException">Any definition is invalid, or two clash.</exception>
    public static DefinitionSet Load(IEnumerable<(string Source, string Content)> sources, IActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(catalog);

        var errors = new List<DefinitionError>();
        var definitions = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        var routes = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var (source, content) in sources)
        {
            var result = WorkflowDefinitionParser.Parse(source, content, catalog);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors);
                continue;
            }

            var definition = result.Definition;
            if (definitions.TryGetValue(definition.Id, out var first))
            {
                errors.Add(new DefinitionError(source, JsonLocation.Of("id"), $"workflow id '{definition.Id}' is also the id of {first.Source}; ids must be unique"));
                continue;
            }

            definitions.Add(definition.Id, definition);
            if (definition.Trigger?.Http is { } http)
            {
                var key = http.Method.ToUpperInvariant() + " " + HttpRouteShape.Of(RoutePatternFactory.Parse(http.Route));
                if (routes.TryGetValue(key, out var other))
                {
                    errors.Add(new DefinitionError(
                        source,
                        JsonLocation.Of("trigger", "http", "route"),
                        $"{http.Method} {http.Route} matches the same requests as {other.Trigger!.Http!.Method} {other.Trigger.Http.Route} of workflow '{other.Id}' in {other.Source}"));
                }
                else
                {
                    routes.Add(key, definition);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DefinitionValidationException(errors);
        }

        return new DefinitionSet(definitions);
    }
}
