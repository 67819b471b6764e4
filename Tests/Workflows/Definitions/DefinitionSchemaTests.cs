using static Supervisor.Tests.Workflows.Definitions.DefinitionAssert;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class DefinitionSchemaTests
{
    private const string Activity = """ "lock": { "type": "Fail", "inputs": { "reason": "x" } } """;

    [Fact]
    public void Missing_id_is_reported_at_the_root()
    {
        SingleError("""{ "version": 1, "start": "lock", "activities": { "lock": { "type": "Fail" } } }""", "/", "required property 'id' is missing");
    }

    [Fact]
    public void Version_of_the_wrong_type_is_reported_at_version()
    {
        SingleError("""{ "id": "wf", "version": "1", "start": "lock", "activities": { "lock": { "type": "Fail" } } }""", "/version", "expected integer, found string");
    }

    [Fact]
    public void Version_below_one_is_reported()
    {
        SingleError("""{ "id": "wf", "version": 0, "start": "lock", "activities": { "lock": { "type": "Fail" } } }""", "/version", "0 is less than 1");
    }

    [Fact]
    public void Unknown_top_level_property_is_reported_with_the_allowed_ones()
    {
        SingleError(With(Activity, extra: """ "queues": "fetch", """), "/queues", "unknown property 'queues'", "start, activities");
    }

    [Fact]
    public void Unknown_activity_property_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "Fail", "inputs": { "reason": "x" }, "nxt": {} } """),
            "/activities/lock/nxt",
            "unknown property 'nxt'; the properties allowed here are: type, inputs, next");
    }

    [Fact]
    public void Schema_property_is_allowed()
    {
        Valid(With(Activity, extra: """ "$schema": "../docs/workflow.schema.json", """));
    }

    [Fact]
    public void Bad_queue_name_is_reported_with_the_queues()
    {
        SingleError(With(Activity, extra: """ "queue": "slow", """), "/queue", "'slow' is not one of: default, fetch, removal");
    }

    [Fact]
    public void Bad_workflow_id_is_reported()
    {
        SingleError("""{ "id": "Restart", "version": 1, "start": "lock", "activities": { "lock": { "type": "Fail" } } }""", "/id", "'Restart' does not match the pattern");
    }

    [Fact]
    public void Bad_activity_id_is_reported()
    {
        SingleError(With(""" "1lock": { "type": "Fail", "inputs": { "reason": "x" } } """, start: "x"), "/activities/1lock", "'1lock' does not match the pattern");
    }

    [Fact]
    public void Empty_activities_are_reported()
    {
        SingleError(With(string.Empty), "/activities", "at least one");
    }

    [Fact]
    public void Next_target_of_the_wrong_type_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": 5 } } """),
            "/activities/lock/next/Done",
            "expected string or null, found integer");
    }

    [Fact]
    public void Bad_http_method_and_route_are_reported()
    {
        var errors = Errors(With(Activity, extra: """ "trigger": { "http": { "method": "HEAD", "route": "/apps/{appId}" } }, """));

        Assert.Equal(["/trigger/http/method", "/trigger/http/route"], errors.Select(e => e.Location).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Reason.Contains("'HEAD' is not one of: GET, POST, PUT, PATCH, DELETE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Reason.Contains("'/apps/{appId}' does not match the pattern ^/workflows/", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_file_in_docs_is_the_embedded_one()
    {
        var docs = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "docs", "workflow.schema.json");
        using var stream = typeof(Supervisor.Workflows.Definitions.WorkflowDefinition).Assembly.GetManifestResourceStream("workflow.schema.json");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        Assert.Equal(File.ReadAllText(docs), reader.ReadToEnd());
    }
}
