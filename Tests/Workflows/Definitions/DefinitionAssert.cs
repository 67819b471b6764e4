using Supervisor.Workflows.Definitions;

namespace Supervisor.Tests.Workflows.Definitions;

internal static class DefinitionAssert
{
    public const string Source = "test.json";

    public static WorkflowDefinition Valid(string json)
    {
        var result = WorkflowDefinitionParser.Parse(Source, json, TestActivityCatalog.Instance);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Definition;
    }

    public static IReadOnlyList<DefinitionError> Errors(string json)
    {
        var result = WorkflowDefinitionParser.Parse(Source, json, TestActivityCatalog.Instance);
        Assert.False(result.IsValid, "expected errors, the definition is valid");
        Assert.All(result.Errors, e => Assert.Equal(Source, e.Source));
        return result.Errors;
    }

    /// <summary>The definition has exactly one error, at <paramref name="location"/>, saying <paramref name="fragments"/>.</summary>
    public static DefinitionError SingleError(string json, string location, params string[] fragments)
    {
        var errors = Errors(json);
        var error = Assert.Single(errors);
        Assert.Equal(location, error.Location);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Reason, StringComparison.Ordinal);
        }

        return error;
    }

    /// <summary>A valid minimal definition around <paramref name="activities"/> (the object's members) starting at <paramref name="start"/>.</summary>
    public static string With(string activities, string start = "lock", string extra = "") =>
        $$"""
        { "id": "wf", "version": 1, {{extra}} "start": "{{start}}", "activities": { {{activities}} } }
        """;
}
