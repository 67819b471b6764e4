using System.Text.Json;
using Supervisor.Tests.Fixtures;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Workflows.Runs;

public sealed class WorkflowRunnerTests
{
    private const string Branching = """
        {
          "id": "branching", "version": 1, "start": "choose",
          "activities": {
            "choose": { "type": "Choose", "inputs": { "outcome": "$.input.way" }, "next": { "Left": "left", "Right": "right" } },
            "left":   { "type": "Echo", "inputs": { "text": "went left", "value": "$.activities.choose.output" } },
            "right":  { "type": "Echo", "inputs": { "text": "$.activities.choose.outcome" }, "next": { "Done": null } }
          }
        }
        """;

    [Theory]
    [InlineData("Left", "left", "went left")]
    [InlineData("Right", "right", "Right")]
    public async Task The_outcome_chooses_the_next_activity_and_references_carry_outputs(string way, string expectedActivity, string expectedText)
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["branching"] = Branching });

        var run = await engine.RunAsync("branching", new { way });

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["choose", expectedActivity], run.Steps.Select(s => s.ActivityId));
        Assert.Equal([1, 2], run.Steps.Select(s => s.Sequence));
        Assert.All(run.Steps, s => Assert.Equal(1, s.Attempt));
        Assert.Equal(way, run.Steps[0].Outcome);
        var output = run.Steps[1].Output!.Value;
        Assert.Equal(expectedText, output.GetProperty("text").GetString());
        if (way == "Left")
        {
            Assert.Equal("Left", output.GetProperty("value").GetProperty("chosen").GetString());
        }

        Assert.NotNull(run.EndedAt);
        Assert.Null(run.Reason);
    }

    [Fact]
    public async Task Fail_ends_the_run_as_failed_with_its_reason_and_message()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string>
        {
            ["locked"] = """
                {
                  "id": "locked", "version": 1, "start": "echo",
                  "activities": {
                    "echo": { "type": "Echo", "inputs": { "text": "Updates are locked for main" }, "next": { "Done": "fail" } },
                    "fail": { "type": "Fail", "inputs": { "reason": "Locked", "message": "$.activities.echo.output.text" } }
                  }
                }
                """,
        });

        var run = await engine.RunAsync("locked");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("Locked", run.Reason);
        Assert.Equal("Updates are locked for main", run.Message);
        var fail = run.Steps[^1];
        Assert.Null(fail.Outcome);
        Assert.Equal("Updates are locked for main", fail.Error);
        Assert.NotNull(fail.EndedAt);
    }

    [Fact]
    public async Task An_exception_faults_the_run_with_the_message_and_stops_it()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string>
        {
            ["faulty"] = """
                {
                  "id": "faulty", "version": 1, "start": "boom",
                  "activities": {
                    "boom":  { "type": "Boom", "inputs": { "message": "disk full" }, "next": { "Done": "after" } },
                    "after": { "type": "Mark", "inputs": { "label": "after" } }
                  }
                }
                """,
        });

        var run = await engine.RunAsync("faulty");

        Assert.Equal(RunStatus.Faulted, run.Status);
        Assert.Equal("Fault", run.Reason);
        Assert.Contains("Activity \"boom\" (Boom) faulted: boom: disk full", run.Message, StringComparison.Ordinal);
        Assert.Equal("boom: disk full", Assert.Single(run.Steps).Error);
        Assert.Empty(engine.Recorder.Started);
    }

    [Fact]
    public async Task A_reference_to_an_activity_that_did_not_run_faults_the_run_naming_it()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string>
        {
            ["diamond"] = """
                {
                  "id": "diamond", "version": 1, "start": "choose",
                  "activities": {
                    "choose": { "type": "Choose", "inputs": { "outcome": "Right" }, "next": { "Left": "left", "Right": "join" } },
                    "left":   { "type": "Echo", "inputs": { "text": "left" }, "next": { "Done": "join" } },
                    "join":   { "type": "Echo", "inputs": { "text": "$.activities.left.output.text" } }
                  }
                }
                """,
        });

        var run = await engine.RunAsync("diamond");

        Assert.Equal(RunStatus.Faulted, run.Status);
        Assert.Contains("refers to $.activities.left.output.text, but activity \"left\" has not run in this run", run.Message, StringComparison.Ordinal);
        Assert.Equal("join", run.Steps[^1].ActivityId);
    }

    [Fact]
    public async Task A_missing_output_member_leaves_the_input_out_and_a_missing_required_input_faults()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string>
        {
            ["inputs"] = """
                {
                  "id": "inputs", "version": 1, "start": "echo",
                  "activities": {
                    "echo":   { "type": "Echo", "inputs": { "text": "$.input.missing" }, "next": { "Done": "choose" } },
                    "choose": { "type": "Choose", "inputs": { "outcome": "$.input.way" }, "next": { "Left": null, "Right": null } }
                  }
                }
                """,
        });

        var run = await engine.RunAsync("inputs");

        Assert.Equal(RunStatus.Faulted, run.Status);
        Assert.Equal(JsonValueKind.Object, run.Steps[0].Output!.Value.ValueKind);
        Assert.False(run.Steps[0].Output!.Value.TryGetProperty("text", out _));
        Assert.Contains("The inputs of activity \"choose\" do not fit its input type", run.Message, StringComparison.Ordinal);
        Assert.Contains("outcome", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupted_activity_runs_again_from_where_it_stopped_and_the_run_finishes_once()
    {
        const string Steps = """
            {
              "id": "steps", "version": 1, "start": "one",
              "activities": {
                "one":   { "type": "Mark", "inputs": { "label": "one" }, "next": { "Done": "two" } },
                "two":   { "type": "Mark", "inputs": { "label": "two" }, "next": { "Done": "three" } },
                "three": { "type": "Mark", "inputs": { "label": "three" } }
              }
            }
            """;
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["steps"] = Steps });
        var definition = engine.Catalog.Find("steps")!;
        var runId = await engine.Runner.CreateRunAsync(definition, JsonSerializer.SerializeToElement(new { }), "test");

        // What a crash in the middle of "two" leaves in the journal: "one" ended, "two" started and never ended.
        var now = DateTimeOffset.UtcNow;
        await engine.Journal.BeginStepAsync(runId, new StepStart(1, "one", "Mark", now), restart: false);
        await engine.Journal.EndStepAsync(runId, new StepEnd(1, now, "Done", JsonSerializer.SerializeToElement(new { }), null), new StepStart(2, "two", "Mark", now), null);

        var run = await engine.Runner.ExecuteAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["two", "three"], engine.Recorder.Started);
        Assert.Equal([("two", 2), ("three", 1)], engine.Recorder.Entries);
        Assert.Equal(["one", "two", "three"], run.Steps.Select(s => s.ActivityId));
        Assert.Equal([1, 2, 1], run.Steps.Select(s => s.Attempt));

        var again = await engine.Runner.ExecuteAsync(runId);
        Assert.Equal(RunStatus.Completed, again.Status);
        Assert.Equal(2, engine.Recorder.Started.Count);
    }

    [Fact]
    public async Task A_run_keeps_the_definition_it_started_with_after_the_file_changes()
    {
        const string Version1 = """
            { "id": "pinned", "version": 1, "start": "a",
              "activities": { "a": { "type": "Mark", "inputs": { "label": "v1-a" }, "next": { "Done": "b" } },
                              "b": { "type": "Mark", "inputs": { "label": "v1-b" } } } }
            """;
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["pinned"] = Version1 });
        var runId = await engine.Runner.CreateRunAsync(engine.Catalog.Find("pinned")!, JsonSerializer.SerializeToElement(new { }), "test");

        await File.WriteAllTextAsync(Path.Combine(engine.WorkflowsDir, "pinned.json"), Version1.Replace("v1-", "v2-", StringComparison.Ordinal).Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal));
        Assert.True(engine.Catalog.Reload());
        Assert.Equal(2, engine.Catalog.Find("pinned")!.Version);

        var run = await engine.Runner.ExecuteAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, run.WorkflowVersion);
        Assert.Equal(["v1-a", "v1-b"], engine.Recorder.Started);
    }

    [Theory]
    [InlineData(JournalFlush.EveryActivity)]
    [InlineData(JournalFlush.RunStartAndEnd)]
    public async Task Either_flush_setting_journals_every_boundary_and_leaves_connections_at_full_sync(JournalFlush flush)
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string> { ["branching"] = Branching }, flush);

        var run = await engine.RunAsync("branching", new { way = "Left" });

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(2, run.Steps.Count);
        Assert.All(run.Steps, s => Assert.NotNull(s.EndedAt));
        await using var connection = await engine.Services.GetRequiredService<SupervisorDatabase>().OpenAsync();
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous;"));
    }

    [Fact]
    public async Task Two_requests_to_execute_one_run_execute_it_once()
    {
        await using var engine = await StepEngineFixture.StartAsync(new Dictionary<string, string>
        {
            ["slow"] = """{ "id": "slow", "version": 1, "start": "a", "activities": { "a": { "type": "Mark", "inputs": { "label": "a", "delayMs": 200 } } } }""",
        });
        var runId = await engine.Runner.CreateRunAsync(engine.Catalog.Find("slow")!, JsonSerializer.SerializeToElement(new { }), "test");

        var runs = await Task.WhenAll(engine.Runner.ExecuteAsync(runId), engine.Runner.ExecuteAsync(runId));

        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(["a"], engine.Recorder.Started);
    }
}
