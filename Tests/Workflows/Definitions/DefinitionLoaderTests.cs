using Supervisor.Workflows.Definitions;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class DefinitionLoaderTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "supervisor-definitions-" + Guid.NewGuid().ToString("N"));

    public DefinitionLoaderTests()
    {
        Directory.CreateDirectory(directory);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Definition(string id, string? route = null, string reason = "x") => $$"""
        {
          "id": "{{id}}", "version": 1,
          {{(route is null ? string.Empty : $$""" "trigger": { "http": { "method": "POST", "route": "{{route}}" } }, """)}}
          "start": "fail",
          "activities": { "fail": { "type": "Fail", "inputs": { "reason": "{{reason}}" } } }
        }
        """;

    private static DefinitionValidationException Rejected(params (string, string)[] sources) =>
        Assert.Throws<DefinitionValidationException>(() => DefinitionLoader.Load(sources, TestActivityCatalog.Instance));

    [Fact]
    public void Directory_is_loaded_json_files_only_and_by_id()
    {
        File.WriteAllText(Path.Combine(directory, "b.json"), Definition("beta", "/workflows/b"));
        File.WriteAllText(Path.Combine(directory, "a.json"), Definition("alpha", "/workflows/a"));
        File.WriteAllText(Path.Combine(directory, "README.md"), "not a definition");
        File.WriteAllText(Path.Combine(directory, "c.json.bak"), "{");
        Directory.CreateDirectory(Path.Combine(directory, "nested"));
        File.WriteAllText(Path.Combine(directory, "nested", "d.json"), "{");

        var set = DefinitionLoader.LoadDirectory(directory, TestActivityCatalog.Instance);

        Assert.Equal(["alpha", "beta"], set.Definitions.Keys);
        Assert.Equal(Path.Combine(directory, "a.json"), set.Definitions["alpha"].Source);
    }

    [Fact]
    public void Errors_of_all_files_are_reported_together_in_file_order()
    {
        File.WriteAllText(Path.Combine(directory, "b.json"), "{ \"id\": ");
        File.WriteAllText(Path.Combine(directory, "a.json"), Definition("alpha").Replace("\"version\": 1", "\"version\": 0", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(directory, "c.json"), Definition("gamma"));

        var rejected = Assert.Throws<DefinitionValidationException>(() => DefinitionLoader.LoadDirectory(directory, TestActivityCatalog.Instance));

        Assert.Equal(
            [(Path.Combine(directory, "a.json"), "/version"), (Path.Combine(directory, "b.json"), "/")],
            rejected.Errors.Select(e => (e.Source, e.Location)));
        var lines = rejected.Message.Split('\n');
        Assert.Equal("2 errors in 2 workflow definition files:", lines[0]);
        Assert.Equal(rejected.Errors[0].ToString(), lines[1]);
        Assert.Equal(rejected.Errors[1].ToString(), lines[2]);
    }

    [Fact]
    public void Missing_directory_is_an_error_naming_it()
    {
        var missing = Path.Combine(directory, "absent");

        var rejected = Assert.Throws<DefinitionValidationException>(() => DefinitionLoader.LoadDirectory(missing, TestActivityCatalog.Instance));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal(missing, error.Source);
        Assert.Contains($"'{missing}' does not exist", error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("1 error in 1 workflow definition file:", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_directory_is_an_empty_set()
    {
        Assert.Empty(DefinitionLoader.LoadDirectory(directory, TestActivityCatalog.Instance).Definitions);
    }

    [Fact]
    public void Same_id_in_two_files_names_both()
    {
        var rejected = Rejected(("one.json", Definition("same")), ("two.json", Definition("same", reason: "y")));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal(("two.json", "/id"), (error.Source, error.Location));
        Assert.Contains("workflow id 'same' is also the id of one.json", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/workflows/apps/{appId}/restart", "/workflows/apps/{id}/restart")]
    [InlineData("/workflows/apps/{appId}", "/workflows/Apps/{x}")]
    public void Equivalent_http_routes_are_reported(string first, string second)
    {
        var rejected = Rejected(("one.json", Definition("one", first)), ("two.json", Definition("two", second)));

        var error = Assert.Single(rejected.Errors);
        Assert.Equal(("two.json", "/trigger/http/route"), (error.Source, error.Location));
        Assert.Contains($"POST {second} matches the same requests as POST {first} of workflow 'one' in one.json", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_routes_or_methods_do_not_clash()
    {
        var set = DefinitionLoader.Load(
            [
                ("one.json", Definition("one", "/workflows/apps/{appId}")),
                ("two.json", Definition("two", "/workflows/apps/{appId}/restart")),
                ("three.json", Definition("three", "/workflows/apps/{appId:int}")),
                ("four.json", Definition("four", "/workflows/apps/{appId}").Replace("POST", "GET", StringComparison.Ordinal)),
            ],
            TestActivityCatalog.Instance);

        Assert.Equal(4, set.Definitions.Count);
    }
}
