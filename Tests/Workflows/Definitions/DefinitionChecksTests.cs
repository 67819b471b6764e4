using static Supervisor.Tests.Workflows.Definitions.DefinitionAssert;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class DefinitionChecksTests
{
    [Fact]
    public void Unknown_activity_type_lists_the_known_types()
    {
        SingleError(
            With(""" "lock": { "type": "AcquireLocks", "inputs": { "appId": 1 } } """),
            "/activities/lock/type",
            "activity 'lock' has unknown type 'AcquireLocks'",
            "AcquireUpdateLocks, Fail, Inspect, StopService");
    }

    [Fact]
    public void Unknown_input_name_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "Fail", "inputs": { "reason": "x", "mesage": "y" } } """),
            "/activities/lock/inputs/mesage",
            "'mesage' is not an input of Fail (activity 'lock'); its inputs are: reason, message");
    }

    [Fact]
    public void Missing_required_input_is_reported_at_inputs()
    {
        SingleError(
            With(""" "lock": { "type": "Fail", "inputs": { "message": "y" } } """),
            "/activities/lock/inputs",
            "required input 'reason' of Fail (activity 'lock') is missing");
    }

    [Fact]
    public void Missing_required_input_without_inputs_is_reported_at_the_activity()
    {
        SingleError(With(""" "lock": { "type": "Fail" } """), "/activities/lock", "required input 'reason'");
    }

    [Theory]
    [InlineData("\"appId\": \"1\"", "appId", "takes an integer, but the literal \"1\" is a string")]
    [InlineData("\"appId\": 1.5", "appId", "takes an integer, but the literal 1.5 is a number")]
    [InlineData("\"appId\": 1, \"force\": \"yes\"", "force", "takes a boolean, but the literal \"yes\" is a string")]
    [InlineData("\"appId\": null", "appId", "takes an integer, but the literal null is null")]
    public void Literal_of_the_wrong_kind_is_reported(string inputs, string input, string fragment)
    {
        SingleError(
            With($$""" "lock": { "type": "AcquireUpdateLocks", "inputs": { {{inputs}} }, "next": { "Acquired": null, "Locked": null } } """),
            "/activities/lock/inputs/" + input,
            $"input '{input}' of AcquireUpdateLocks (activity 'lock')",
            fragment);
    }

    [Fact]
    public void Literals_of_the_right_kind_pass_any_takes_everything_and_number_takes_integers()
    {
        var definition = Valid(With("""
            "lock": { "type": "Inspect", "inputs": { "value": [1, "x"], "weight": 3, "settings": { "a": 1 } }, "next": { "Done": "again", "Retry": null } },
            "again": { "type": "Inspect", "inputs": { "value": null, "weight": 2.5 }, "next": { "Done": "stop", "Retry": null } },
            "stop": { "type": "AcquireUpdateLocks", "inputs": { "appId": 2.0 } }
            """));

        Assert.Equal(3, definition.Activities.Count);
    }

    [Fact]
    public void Missing_start_activity_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "Fail", "inputs": { "reason": "x" } } """, start: "begin"),
            "/start",
            "start activity 'begin' is not one of the activities: lock");
    }

    [Fact]
    public void Missing_next_target_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": "release" } } """),
            "/activities/lock/next/Done",
            "outcome 'Done' of activity 'lock' leads to 'release', which is not one of the activities: lock");
    }

    [Fact]
    public void Next_key_that_is_not_a_declared_outcome_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": null, "Stopped": null } } """),
            "/activities/lock/next/Stopped",
            "'Stopped' is not an outcome of StopService (activity 'lock'); its outcomes are: Done");
    }

    [Fact]
    public void Next_on_an_activity_without_outcomes_is_reported()
    {
        SingleError(
            With(""" "lock": { "type": "Fail", "inputs": { "reason": "x" }, "next": {} } """),
            "/activities/lock/next",
            "activity 'lock' has 'next', but Fail declares no outcomes",
            "remove 'next'");
    }

    [Fact]
    public void Unhandled_outcomes_are_named_with_how_to_end_the_run_on_purpose()
    {
        SingleError(
            With(""" "lock": { "type": "AcquireUpdateLocks", "inputs": { "appId": 1 }, "next": { "Acquired": null } } """),
            "/activities/lock/next",
            "outcome Locked of activity 'lock' (AcquireUpdateLocks) is not handled in 'next'",
            "\"Locked\": null");
    }

    [Fact]
    public void Several_unhandled_outcomes_are_listed()
    {
        SingleError(
            With(""" "lock": { "type": "AcquireUpdateLocks", "inputs": { "appId": 1 }, "next": { } } """),
            "/activities/lock/next",
            "outcomes Acquired, Locked of activity 'lock' (AcquireUpdateLocks) are not handled");
    }

    [Fact]
    public void Activity_without_next_ends_the_run_on_every_outcome()
    {
        var definition = Valid(With(""" "lock": { "type": "AcquireUpdateLocks", "inputs": { "appId": 1 } } """));

        Assert.Null(definition.Activities["lock"].Next);
    }

    [Fact]
    public void Unreachable_activity_is_reported()
    {
        SingleError(
            With("""
                "lock": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": null } },
                "cleanup": { "type": "Fail", "inputs": { "reason": "x" } }
                """),
            "/activities/cleanup",
            "activity 'cleanup' is unreachable",
            "from start activity 'lock'");
    }
}
