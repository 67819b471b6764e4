using System.Text.Json;
using Supervisor.Workflows.Definitions;
using static Supervisor.Tests.Workflows.Definitions.DefinitionAssert;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class WorkflowDefinitionParserTests
{
    private const string RestartService = """
        {
          "$schema": "../docs/workflow.schema.json",
          "id": "restart-service",
          "version": 3,
          "description": "Restart one service; answer 423 while its update lock is held.",
          "queue": "fetch",
          "trigger": {
            "http": { "method": "POST", "route": "/workflows/apps/{appId}/restart" },
            "schedule": { "cron": "*/5 * * * *", "input": { "appId": 7 }, "runAtStartup": true }
          },
          "start": "lock",
          "activities": {
            "lock":   { "type": "AcquireUpdateLocks", "inputs": { "appId": "$.input.appId", "force": false },
                        "next": { "Acquired": "stop", "Locked": "locked" } },
            "stop":   { "type": "StopService", "inputs": { "appId": "$.input.app.id", "serviceName": "main" }, "next": { "Done": null } },
            "locked": { "type": "Fail", "inputs": { "reason": "Locked", "message": "$.activities.lock.output.message" } }
          }
        }
        """;

    [Fact]
    public void Valid_definition_is_read_field_by_field()
    {
        var definition = Valid(RestartService);

        Assert.Equal("restart-service", definition.Id);
        Assert.Equal(3, definition.Version);
        Assert.Equal("Restart one service; answer 423 while its update lock is held.", definition.Description);
        Assert.Equal(WorkflowQueues.Fetch, definition.Queue);
        Assert.Equal("lock", definition.Start);
        Assert.Equal(Source, definition.Source);
        Assert.Equal(RestartService, definition.Content);
        Assert.Equal(["lock", "stop", "locked"], definition.Activities.Keys);

        var http = definition.Trigger?.Http;
        Assert.Equal(new HttpTrigger("POST", "/workflows/apps/{appId}/restart"), http);
        var schedule = definition.Trigger!.Schedule!;
        Assert.Equal("*/5 * * * *", schedule.Cron);
        Assert.Null(schedule.Interval);
        Assert.True(schedule.RunAtStartup);
        Assert.Equal(7, schedule.Input!.Value.GetProperty("appId").GetInt32());

        var lockActivity = definition.Activities["lock"];
        Assert.Equal("lock", lockActivity.Id);
        Assert.Equal("AcquireUpdateLocks", lockActivity.Type);
        var appId = Assert.IsType<ReferenceInput>(lockActivity.Inputs["appId"]);
        Assert.Equal("$.input.appId", appId.Path);
        Assert.Equal(ReferenceRoot.Input, appId.Root);
        Assert.Null(appId.ActivityId);
        Assert.Equal(["appId"], appId.Members);
        var force = Assert.IsType<LiteralInput>(lockActivity.Inputs["force"]);
        Assert.Equal(JsonValueKind.False, force.Value.ValueKind);
        Assert.Equal(["Acquired", "Locked"], lockActivity.Next!.Keys);
        Assert.Equal("stop", lockActivity.Next["Acquired"]);
        Assert.Equal("locked", lockActivity.Next["Locked"]);

        var stop = definition.Activities["stop"];
        Assert.Equal(["app", "id"], Assert.IsType<ReferenceInput>(stop.Inputs["appId"]).Members);
        Assert.Equal("main", Assert.IsType<LiteralInput>(stop.Inputs["serviceName"]).Value.GetString());
        Assert.True(stop.Next!.ContainsKey("Done"));
        Assert.Null(stop.Next["Done"]);

        var locked = definition.Activities["locked"];
        Assert.Null(locked.Next);
        var message = Assert.IsType<ReferenceInput>(locked.Inputs["message"]);
        Assert.Equal(new ReferenceInput("$.activities.lock.output.message", ReferenceRoot.ActivityOutput, "lock", message.Members), message);
        Assert.Equal(["message"], message.Members);
    }

    [Fact]
    public void Queue_defaults_to_default_and_trigger_to_none()
    {
        var definition = Valid(With("""
            "lock": { "type": "Fail", "inputs": { "reason": "x" } }
            """));

        Assert.Equal(WorkflowQueues.Default, definition.Queue);
        Assert.Null(definition.Trigger);
        Assert.Null(definition.Description);
    }

    [Fact]
    public void Content_hash_is_lower_case_hex_sha256_of_the_utf8_content_and_stable()
    {
        var first = Valid(RestartService);
        var second = Valid(RestartService);
        var edited = Valid(RestartService.Replace("\"version\": 3", "\"version\": 4", StringComparison.Ordinal));

        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.NotEqual(first.ContentHash, edited.ContentHash);
        Assert.Matches("^[0-9a-f]{64}$", first.ContentHash);
        // SHA-256 of "abc", the FIPS 180-2 example.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", WorkflowDefinitionParser.Hash("abc"));
    }

    [Fact]
    public void Invalid_json_is_one_error_with_line_and_position()
    {
        var error = SingleError("{\n  \"id\": \"x\",\n  \"version\": 1,,\n}", "/", "invalid JSON at line 3, position");

        Assert.DoesNotContain("LineNumber", error.Reason, StringComparison.Ordinal);
        Assert.Equal("test.json: /: " + error.Reason, error.ToString());
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_at_once()
    {
        var errors = Errors(With("""
            "lock": { "type": "AcquireUpdateLocks", "inputs": { "appId": "seven" }, "next": { "Acquired": "nowhere", "Locked": null } },
            "orphan": { "type": "Fail", "inputs": { "reason": "x" } }
            """));

        Assert.Equal(
            ["/activities/lock/inputs/appId", "/activities/lock/next/Acquired", "/activities/orphan"],
            errors.Select(e => e.Location));
    }

    [Fact]
    public void Duplicate_activity_ids_are_reported()
    {
        var error = SingleError(
            With("""
                "lock": { "type": "Fail", "inputs": { "reason": "x" } },
                "lock": { "type": "Fail", "inputs": { "reason": "y" } }
                """),
            "/activities/lock",
            "activity id 'lock' is used more than once");

        Assert.Equal(Source, error.Source);
    }

    [Fact]
    public void Duplicate_properties_elsewhere_are_reported()
    {
        SingleError(
            With("""
                "lock": { "type": "Fail", "inputs": { "reason": "x", "reason": "y" } }
                """),
            "/activities/lock/inputs/reason",
            "property 'reason' is given more than once");
    }
}
