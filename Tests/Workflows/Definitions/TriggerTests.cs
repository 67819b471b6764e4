using static Supervisor.Tests.Workflows.Definitions.DefinitionAssert;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class TriggerTests
{
    private static string WithTrigger(string trigger) => With(
        """ "lock": { "type": "Fail", "inputs": { "reason": "x" } } """,
        extra: $$""" "trigger": {{{trigger}}}, """);

    [Fact]
    public void Route_that_is_not_a_route_template_is_reported()
    {
        SingleError(
            WithTrigger(""" "http": { "method": "GET", "route": "/workflows/apps/{appId" } """),
            "/trigger/http/route",
            "route '/workflows/apps/{appId' is not a valid route template");
    }

    [Theory]
    [InlineData("* * * *", "has 4 fields")]
    [InlineData("0 0 * * * * *", "has 7 fields")]
    [InlineData("60 * * * *", "Minutes: Value must be a number between 0 and 59")]
    [InlineData("*/0 * * * *", "Minutes: Value must be a number between 1 and 59")]
    [InlineData("0 0 * FOO *", "Months:")]
    [InlineData("0 0 1,,2 * *", "Days of month:")]
    [InlineData("0 0 0 32 * *", "Days of month:")]
    [InlineData("@fortnightly", "Macro:")]
    public void Malformed_cron_is_reported(string cron, string fragment)
    {
        SingleError(WithTrigger($$""" "schedule": { "cron": "{{cron}}" } """), "/trigger/schedule/cron", $"cron '{cron}'", fragment);
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("30 */10 * * * *")]
    [InlineData("0 8-18/2 1,15 JAN-jun MON-FRI")]
    [InlineData("0 0 ? * 7")]
    [InlineData("@daily")]
    [InlineData("@every_minute")]
    [InlineData("0 0 L * *")]
    [InlineData("0 0 L-3 * *")]
    [InlineData("0 0 15W * *")]
    [InlineData("0 9 * * MON#2")]
    [InlineData("0 0 22-2 * * *")]
    public void Wellformed_cron_is_accepted(string cron)
    {
        var definition = Valid(WithTrigger($$""" "schedule": { "cron": "{{cron}}" } """));

        Assert.Equal(cron, definition.Trigger!.Schedule!.Cron);
        Assert.False(definition.Trigger.Schedule.RunAtStartup);
        Assert.Null(definition.Trigger.Http);
    }

    [Fact]
    public void Interval_is_read()
    {
        var schedule = Valid(WithTrigger(""" "schedule": { "interval": "00:05:00" } """)).Trigger!.Schedule!;

        Assert.Equal(TimeSpan.FromMinutes(5), schedule.Interval);
        Assert.Null(schedule.Cron);
    }

    [Theory]
    [InlineData("00:00:07")]
    [InlineData("00:07:00")]
    [InlineData("05:00:00")]
    [InlineData("01:30:00")]
    public void Interval_a_cron_cannot_repeat_evenly_is_reported(string interval)
    {
        SingleError(
            WithTrigger($$""" "schedule": { "interval": "{{interval}}" } """),
            "/trigger/schedule/interval",
            $"interval '{interval}' cannot be scheduled",
            "whole seconds dividing 60");
    }

    [Fact]
    public void Interval_out_of_range_is_reported()
    {
        SingleError(WithTrigger(""" "schedule": { "interval": "00:75:00" } """), "/trigger/schedule/interval", "is not hh:mm:ss");
    }

    [Fact]
    public void Schedule_needs_exactly_one_of_cron_and_interval()
    {
        SingleError(WithTrigger(""" "schedule": { } """), "/trigger/schedule", "exactly one of 'cron' and 'interval'");
        SingleError(
            WithTrigger(""" "schedule": { "cron": "* * * * *", "interval": "00:01:00" } """),
            "/trigger/schedule",
            "exactly one of 'cron' and 'interval'");
    }
}
