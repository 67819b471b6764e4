using Dapper;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary>
/// Runs started in memory (as the API starts them): on disk before any activity that may change
/// something, or written behind their end when they end first.
/// </summary>
public sealed class WriteAheadTests
{
    private static readonly Dictionary<string, string> Definitions = new()
    {
        ["probe-after"] = """
            { "id": "probe-after", "version": 1, "start": "probe",
              "activities": { "probe": { "type": "ProbeAfterWriteAhead" } } }
            """,
        ["probe-before"] = """
            { "id": "probe-before", "version": 1, "start": "first",
              "activities": {
                "first":  { "type": "ProbeBeforeWriteAhead", "next": { "Done": "second" } },
                "second": { "type": "ProbeBeforeWriteAhead", "inputs": { "writeAhead": true }, "next": { "Done": "third" } },
                "third":  { "type": "ProbeAfterWriteAhead" } } }
            """,
        ["refused"] = """
            { "id": "refused", "version": 1, "start": "check",
              "activities": {
                "check":  { "type": "ProbeBeforeWriteAhead", "next": { "Done": "locked" } },
                "locked": { "type": "Fail", "inputs": { "reason": "Locked", "message": "Updates are locked" } } } }
            """,
    };

    [Fact]
    public async Task An_activity_without_the_mark_starts_only_once_the_run_and_its_open_step_are_on_disk()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var run = await engine.StartInMemoryAsync("probe-after");

        Assert.Equal(RunStatus.Completed, run.Status);
        var seen = run.Steps[0].Output!.Value;
        Assert.True(seen.GetProperty("written").GetBoolean());
        Assert.Equal("Running", seen.GetProperty("status").GetString());
        Assert.Equal(1, seen.GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task A_marked_activity_runs_before_the_run_is_on_disk_until_it_writes_it_ahead_itself()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var run = await engine.StartInMemoryAsync("probe-before");

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.False(run.Steps[0].Output!.Value.GetProperty("written").GetBoolean());
        var second = run.Steps[1].Output!.Value;
        Assert.True(second.GetProperty("written").GetBoolean());
        Assert.Equal(2, second.GetProperty("steps").GetInt32());

        // Once written, each boundary is journalled as it happens.
        var third = run.Steps[2].Output!.Value;
        Assert.Equal(3, third.GetProperty("steps").GetInt32());
        var read = await engine.Journal.GetRunAsync(run.Id);
        Assert.Equal(RunStatus.Completed, read!.Status);
        Assert.Equal(["first", "second", "third"], read.Steps.Select(s => s.ActivityId));
    }

    [Fact]
    public async Task A_run_that_ends_before_any_write_ahead_is_written_behind_and_reads_back_as_it_ended()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var run = await engine.StartInMemoryAsync("refused", new { service = "main" });

        Assert.Equal((RunStatus.Failed, "Locked"), (run.Status, run.Reason));
        Assert.False(run.Steps[0].Output!.Value.GetProperty("written").GetBoolean());
        var read = await engine.Journal.GetRunAsync(run.Id);
        Assert.NotNull(read);
        Assert.Equal((run.Status, run.Reason, run.Message, run.Origin, run.EndedAt), (read.Status, read.Reason, read.Message, read.Origin, read.EndedAt));
        Assert.Equal(run.Input.GetRawText(), read.Input.GetRawText());
        Assert.Equal(
            run.Steps.Select(s => (s.Sequence, s.ActivityId, s.ActivityType, s.Attempt, s.StartedAt, s.EndedAt, s.Outcome, s.Output?.GetRawText(), s.Error)),
            read.Steps.Select(s => (s.Sequence, s.ActivityId, s.ActivityType, s.Attempt, s.StartedAt, s.EndedAt, s.Outcome, s.Output?.GetRawText(), s.Error)));
        var (listed, total) = await engine.Journal.ListRunsAsync(new RunQuery("refused", RunStatus.Failed, 1, 10));
        Assert.Equal(1, total);
        Assert.Equal(run.Id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task Many_refused_runs_at_once_are_all_written_and_disposing_the_journal_writes_what_is_still_queued()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var runs = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => engine.StartInMemoryAsync("refused", new { service = $"s{i}" })));
        engine.Journal.Dispose();

        // Straight from the file: nothing waits for the writes behind any more.
        var database = new SupervisorDatabase(Path.Combine(engine.Root, "supervisor.db"));
        await using var connection = await database.OpenAsync();
        var ids = (await connection.QueryAsync<string>("SELECT id FROM workflow_runs WHERE status = 'Failed' AND reason = 'Locked';")).ToHashSet();
        Assert.Equal(runs.Select(r => r.Id).ToHashSet(), ids);
        Assert.Equal(80, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_run_steps;"));
    }

    [Fact]
    public async Task The_same_refused_run_many_times_at_once_is_written_as_many_runs_and_every_id_reads_back_as_itself()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var runs = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => engine.StartInMemoryAsync("refused", new { service = "main" })));
        var other = await engine.StartInMemoryAsync("refused", new { service = "other" });

        var (listed, total) = await engine.Journal.ListRunsAsync(new RunQuery("refused", PageSize: 100));
        Assert.Equal(runs.Length + 1, total);
        Assert.Equal(runs.Select(r => r.Id).Append(other.Id).Order(StringComparer.Ordinal), listed.Select(r => r.Id).Order(StringComparer.Ordinal));
        foreach (var run in runs)
        {
            var read = await engine.Journal.GetRunAsync(run.Id);
            Assert.NotNull(read);
            Assert.Equal(run.Id, read.Id);
            Assert.Equal((RunStatus.Failed, "Locked", "Updates are locked"), (read.Status, read.Reason, read.Message));
            Assert.Equal((run.CreatedAt, run.EndedAt), (read.CreatedAt, read.EndedAt));
            Assert.Equal(run.Steps.Select(t => (t.ActivityId, t.StartedAt, t.EndedAt)), read.Steps.Select(t => (t.ActivityId, t.StartedAt, t.EndedAt)));
            Assert.Equal(run.Input.GetRawText(), read.Input.GetRawText());
        }

        Assert.Null(await engine.Journal.GetRunAsync(RunIds.New(DateTimeOffset.UtcNow)));
        Assert.Null(await engine.Journal.GetRunAsync("ffffffffffff7000800000000000000a"));
    }

    [Fact]
    public async Task The_same_refused_run_again_in_later_writes_is_a_run_of_its_own_each_time()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var runs = new List<WorkflowRun>();
        for (var i = 1; i <= 4; i++)
        {
            runs.Add(await engine.StartInMemoryAsync("refused", new { service = "main" }));

            // Listing waits for the write behind: each run is written in a batch of its own.
            Assert.Equal(i, (await engine.Journal.ListRunsAsync(new RunQuery("refused"))).Total);
        }

        var (listed, _) = await engine.Journal.ListRunsAsync(new RunQuery("refused"));
        Assert.Equal(runs.Select(r => r.Id).Reverse(), listed.Select(r => r.Id));
        foreach (var run in runs)
        {
            Assert.Equal(run.Id, (await engine.Journal.GetRunAsync(run.Id))!.Id);
        }
    }
}
