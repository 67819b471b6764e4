using System.Text.Json;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary><see cref="WorkflowRunner.InterruptAsync"/>: ending a run that nothing will finish, never one that is executing.</summary>
public sealed class InterruptTests
{
    private const string Waiting = """
        {
          "id": "waiting", "version": 1, "start": "wait",
          "activities": {
            "wait": { "type": "Delay", "inputs": { "duration": "00:00:30" } }
          }
        }
        """;

    [Fact]
    public async Task A_run_nothing_executes_is_ended_Faulted_Interrupted_with_its_open_step_closed_and_a_second_end_changes_nothing()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["waiting"] = Waiting });
        var definition = engine.Catalog.Find("waiting")!;
        var runId = await engine.Runner.CreateRunAsync(definition, JsonSerializer.SerializeToElement(new { }), "test", "42");
        await engine.Journal.BeginStepAsync(runId, new StepStart(1, "wait", "Delay", DateTimeOffset.UtcNow), restart: false);

        Assert.True(await engine.Runner.InterruptAsync(runId, "Interrupted: its job 42 no longer exists."));

        var run = (await engine.Journal.GetRunAsync(runId))!;
        Assert.Equal(RunStatus.Faulted, run.Status);
        Assert.Equal(WorkflowRunner.Interrupted, run.Reason);
        Assert.Equal("Interrupted: its job 42 no longer exists.", run.Message);
        Assert.NotNull(run.Steps.Single().EndedAt);
        Assert.Equal(run.Message, run.Steps.Single().Error);

        Assert.False(await engine.Runner.InterruptAsync(runId, "again"));
        Assert.Equal("Interrupted: its job 42 no longer exists.", (await engine.Journal.GetRunAsync(runId))!.Message);
    }

    [Fact]
    public async Task A_run_this_process_executes_is_not_ended()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["waiting"] = Waiting });
        var definition = engine.Catalog.Find("waiting")!;
        var runId = await engine.Runner.CreateRunAsync(definition, JsonSerializer.SerializeToElement(new { }), "test", "43");
        using var stop = new CancellationTokenSource();
        var execution = engine.Runner.ExecuteAsync(runId, stop.Token);
        await Eventually.GetAsync(async () => (await engine.Journal.GetRunAsync(runId))!.Status, s => s == RunStatus.Running, TimeSpan.FromSeconds(10));

        Assert.False(await engine.Runner.InterruptAsync(runId, "must not end a run under way"));
        Assert.Equal(RunStatus.Running, (await engine.Journal.GetRunAsync(runId))!.Status);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution);
    }
}
