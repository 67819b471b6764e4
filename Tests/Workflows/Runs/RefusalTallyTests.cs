using System.Text.Json;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary>Which runs the writer behind keeps in full and which it only counts.</summary>
public sealed class RefusalTallyTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static WorkflowRun Run(RunStatus status, string? reason, DateTimeOffset createdAt, string workflow = "restart-service") =>
        new(RunIds.New(createdAt), workflow, 1, "h1", status, "api", JsonDocument.Parse("{}").RootElement, reason, null, createdAt, createdAt, []);

    [Fact]
    public void The_first_refusal_of_a_workflow_and_reason_in_a_minute_is_kept_and_later_ones_in_that_minute_only_counted()
    {
        var tally = new RefusalTally();

        Assert.True(tally.Keep(Run(RunStatus.Failed, "Locked", Minute.AddSeconds(1))));
        Assert.False(tally.Keep(Run(RunStatus.Failed, "Locked", Minute.AddSeconds(2))));
        tally.Committed();
        Assert.False(tally.Keep(Run(RunStatus.Failed, "Locked", Minute.AddSeconds(59))));

        Assert.True(tally.Keep(Run(RunStatus.Failed, "Locked", Minute.AddMinutes(1))));
        Assert.True(tally.Keep(Run(RunStatus.Failed, "Invalid", Minute.AddSeconds(3))));
        Assert.True(tally.Keep(Run(RunStatus.Failed, "Locked", Minute.AddSeconds(4), workflow: "stop-service")));
    }

    [Fact]
    public void Runs_that_are_not_refusals_are_always_kept()
    {
        var tally = new RefusalTally();

        for (var i = 0; i < 3; i++)
        {
            Assert.True(tally.Keep(Run(RunStatus.Completed, null, Minute)));
            Assert.True(tally.Keep(Run(RunStatus.Faulted, "Fault", Minute)));
            Assert.True(tally.Keep(Run(RunStatus.Failed, null, Minute)));
        }
    }

    [Fact]
    public void After_a_batch_that_did_not_commit_the_next_refusal_is_kept_again()
    {
        var tally = new RefusalTally();
        Assert.True(tally.Keep(Run(RunStatus.Failed, "Locked", Minute)));
        tally.Committed();
        Assert.False(tally.Keep(Run(RunStatus.Failed, "Locked", Minute)));

        tally.Failed();

        Assert.True(tally.Keep(Run(RunStatus.Failed, "Locked", Minute)));
    }
}
