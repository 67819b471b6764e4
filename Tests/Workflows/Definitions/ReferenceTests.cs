using Supervisor.Workflows.Definitions;
using static Supervisor.Tests.Workflows.Definitions.DefinitionAssert;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class ReferenceTests
{
    // lock -> inspect -> fail; "value" of the last activity takes whatever the test gives.
    private static string Chain(string failMessage, string inspectValue = "1") => With($$"""
        "lock": { "type": "AcquireUpdateLocks", "inputs": { "appId": 1 }, "next": { "Acquired": "inspect", "Locked": null } },
        "inspect": { "type": "Inspect", "inputs": { "value": {{inspectValue}} }, "next": { "Done": "fail", "Retry": "inspect" } },
        "fail": { "type": "Fail", "inputs": { "reason": "x", "message": {{failMessage}} } }
        """);

    [Theory]
    [InlineData("$.input", ReferenceRoot.Input, null, new string[0])]
    [InlineData("$.input.a.b_c", ReferenceRoot.Input, null, new[] { "a", "b_c" })]
    [InlineData("$.activities.lock.output", ReferenceRoot.ActivityOutput, "lock", new string[0])]
    [InlineData("$.activities.lock.output.message", ReferenceRoot.ActivityOutput, "lock", new[] { "message" })]
    [InlineData("$.activities.lock.outcome", ReferenceRoot.ActivityOutcome, "lock", new string[0])]
    public void References_are_parsed(string path, ReferenceRoot root, string? activityId, string[] members)
    {
        var definition = Valid(Chain("\"x\"", $"\"{path}\""));

        var reference = Assert.IsType<ReferenceInput>(definition.Activities["inspect"].Inputs["value"]);
        Assert.Equal(path, reference.Path);
        Assert.Equal(root, reference.Root);
        Assert.Equal(activityId, reference.ActivityId);
        Assert.Equal(members, reference.Members);
    }

    [Fact]
    public void Strings_not_starting_with_dollar_dot_are_literals()
    {
        var definition = Valid(Chain("\"$input and $ money\""));

        Assert.IsType<LiteralInput>(definition.Activities["fail"].Inputs["message"]);
    }

    [Theory]
    [InlineData("$.foo", "it starts with 'foo'")]
    [InlineData("$.activities.lock", "it names no activity and part")]
    [InlineData("$.activities.lock.output..message", "it has an empty member")]
    [InlineData("$.activities.lock.outcome.name", "an outcome is a string: nothing may follow 'outcome'")]
    [InlineData("$.activities.lock.result", "'result' follows the activity id")]
    [InlineData("$.input.1st", "'1st' is not a member name")]
    public void Malformed_references_are_reported(string path, string fragment)
    {
        SingleError(
            Chain($"\"{path}\""),
            "/activities/fail/inputs/message",
            $"'{path}' is not a valid reference: {fragment}",
            "$.activities.<id>.outcome");
    }

    [Fact]
    public void Reference_to_a_missing_activity_is_reported()
    {
        SingleError(
            Chain("\"$.activities.release.output.message\""),
            "/activities/fail/inputs/message",
            "input 'message' of activity 'fail' refers to '$.activities.release.output.message', but there is no activity 'release'");
    }

    [Fact]
    public void Reference_to_an_activity_that_cannot_have_run_before_is_reported()
    {
        SingleError(
            With("""
                "lock": { "type": "AcquireUpdateLocks", "inputs": { "appId": 1 }, "next": { "Acquired": "stop", "Locked": "fail" } },
                "stop": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": null } },
                "fail": { "type": "Fail", "inputs": { "reason": "$.activities.stop.outcome" } }
                """),
            "/activities/fail/inputs/reason",
            "'stop' cannot have run before 'fail': no path through 'next' leads from 'stop' to 'fail'");
    }

    [Fact]
    public void Reference_to_the_activity_itself_is_reported_unless_it_loops()
    {
        SingleError(
            Chain("\"$.activities.fail.outcome\""),
            "/activities/fail/inputs/message",
            "its own result, which does not exist yet");

        // "inspect" loops back to itself on Retry, so its own output may exist by then.
        Valid(Chain("\"x\"", "\"$.activities.inspect.output.details\""));
    }

    [Fact]
    public void Reference_to_an_undeclared_output_is_reported()
    {
        SingleError(
            Chain("\"$.activities.lock.output.reason\""),
            "/activities/fail/inputs/message",
            "'reason' is not an output of AcquireUpdateLocks (activity 'lock'); its outputs are: message, locks");
    }

    [Fact]
    public void Reference_whose_output_kind_does_not_match_the_input_is_reported()
    {
        SingleError(
            Chain("\"$.activities.lock.output.locks\""),
            "/activities/fail/inputs/message",
            "input 'message' of Fail (activity 'fail') takes a string, but output 'locks' of AcquireUpdateLocks (activity 'lock') is an array");
    }

    [Fact]
    public void Whole_output_is_an_object_and_outcome_a_string()
    {
        SingleError(
            Chain("\"$.activities.lock.output\""),
            "/activities/fail/inputs/message",
            "takes a string, but the output of 'lock' is an object");
        Valid(Chain("\"$.activities.lock.outcome\""));
    }

    [Fact]
    public void Members_below_an_object_output_and_references_to_any_are_not_checked()
    {
        Valid(Chain("\"$.activities.inspect.output.details.text\""));
        Valid(Chain("\"x\"", "\"$.activities.lock.output.locks\""));
    }
}
