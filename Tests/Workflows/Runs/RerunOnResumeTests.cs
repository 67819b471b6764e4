using System.Text.Json;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary>
/// A run interrupted after an activity marked [RerunOnResume] (a lock) takes it again before the
/// interrupted activity runs again, and follows whatever that second execution ends with.
/// </summary>
public sealed class RerunOnResumeTests
{
    private const string Guarded = """
        { "id": "guarded", "version": 1, "start": "reserve",
          "activities": {
            "reserve": { "type": "Reserve", "inputs": { "label": "reserve", "blockedBy": "$.input.blockedBy" }, "next": { "Reserved": "work", "Refused": "refused" } },
            "work":    { "type": "Mark", "inputs": { "label": "work" }, "next": { "Done": "after" } },
            "after":   { "type": "Mark", "inputs": { "label": "after" } },
            "refused": { "type": "Fail", "inputs": { "reason": "Locked", "message": "refused" } }
          } }
        """;

    /// <summary>What a crash in the middle of "work" leaves in the journal: "reserve" ended Reserved, "work" started and never ended.</summary>
    private static async Task<string> InterruptedInWorkAsync(StepEngineFixture engine, object input)
    {
        var runId = await engine.Runner.CreateRunAsync(engine.Catalog.Find("guarded")!, JsonSerializer.SerializeToElement(input), "test");
        var now = DateTimeOffset.UtcNow;
        await engine.Journal.BeginStepAsync(runId, new StepStart(1, "reserve", "Reserve", now), restart: false);
        await engine.Journal.EndStepAsync(runId, new StepEnd(1, now, "Reserved", JsonSerializer.SerializeToElement(new { }), null), new StepStart(2, "work", "Mark", now), null);
        return runId;
    }

    [Fact]
    public async Task The_interrupted_activity_runs_again_only_after_the_lock_was_taken_again()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["guarded"] = Guarded });
        var runId = await InterruptedInWorkAsync(engine, new { });

        var run = await engine.Runner.ExecuteAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["reserve", "work", "after"], engine.Recorder.Started);
        Assert.Equal(["reserve", "work", "reserve", "work", "after"], run.Steps.Select(s => s.ActivityId));
        Assert.Equal([1, 2, 3, 4, 5], run.Steps.Select(s => s.Sequence));
        Assert.Equal(["Reserved", null, "Reserved", "Done", "Done"], run.Steps.Select(s => s.Outcome));
        Assert.Contains("Interrupted by a restart", run.Steps[1].Error, StringComparison.Ordinal);
        Assert.All(run.Steps, s => Assert.NotNull(s.EndedAt));
    }

    [Fact]
    public async Task When_the_lock_is_now_held_the_resumed_run_follows_that_outcome_and_the_work_never_runs_again()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["guarded"] = Guarded });
        var blocker = Path.Combine(engine.Root, "users.lock");
        await File.WriteAllTextAsync(blocker, string.Empty);
        var runId = await InterruptedInWorkAsync(engine, new { blockedBy = blocker });

        var run = await engine.Runner.ExecuteAsync(runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("Locked", run.Reason);
        Assert.Equal(["reserve"], engine.Recorder.Started);
        Assert.Equal(["reserve", "work", "reserve", "refused"], run.Steps.Select(s => s.ActivityId));
    }

    [Fact]
    public async Task A_run_interrupted_in_the_lock_itself_just_takes_it_again()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["guarded"] = Guarded });
        var runId = await engine.Runner.CreateRunAsync(engine.Catalog.Find("guarded")!, JsonSerializer.SerializeToElement(new { }), "test");
        await engine.Journal.BeginStepAsync(runId, new StepStart(1, "reserve", "Reserve", DateTimeOffset.UtcNow), restart: false);

        var run = await engine.Runner.ExecuteAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["reserve", "work", "after"], run.Steps.Select(s => s.ActivityId));
        Assert.Equal(2, run.Steps[0].Attempt);
    }
}
