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
        ["quiet"] = """
            { "id": "quiet", "version": 1, "start": "look",
              "activities": { "look": { "type": "ProbeBeforeWriteAhead" } } }
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
    public async Task Many_runs_at_once_are_all_written_or_counted_and_disposing_the_journal_writes_what_is_still_queued()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var runs = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => engine.StartInMemoryAsync(i % 2 == 0 ? "quiet" : "refused", new { service = $"s{i}" })));
        engine.Journal.Dispose();

        // Straight from the file: nothing waits for the writes behind any more.
        var database = new SupervisorDatabase(Path.Combine(engine.Root, "supervisor.db"));
        await using var connection = await database.OpenAsync();
        var ids = (await connection.QueryAsync<string>("SELECT id FROM workflow_runs WHERE workflow_id = 'quiet';")).ToHashSet();
        Assert.Equal(runs.Where(r => r.WorkflowId == "quiet").Select(r => r.Id).ToHashSet(), ids);
        var kept = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_runs WHERE workflow_id = 'refused';");
        Assert.InRange(kept, 1, 2);
        Assert.Equal(20 + (2 * kept), await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_run_steps;"));
        Assert.Equal(20, await connection.ExecuteScalarAsync<int>("SELECT SUM(count) FROM refused_run_counts WHERE workflow_id = 'refused' AND reason = 'Locked';"));
    }

    [Fact]
    public async Task Runs_refused_for_one_reason_in_one_minute_keep_the_first_in_full_and_count_every_one()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var runs = (await Task.WhenAll(Enumerable.Range(0, 30).Select(i => engine.StartInMemoryAsync("refused", new { service = $"s{i % 3}" })))).ToList();
        runs.Add(await engine.StartInMemoryAsync("refused", new { service = "other" }));

        // One run kept per minute the refusals were created in (a burst can straddle two).
        var minutes = runs.Select(r => r.CreatedAt.ToUnixTimeMilliseconds() / 60_000).Distinct().Count();
        var (listed, total) = await engine.Journal.ListRunsAsync(new RunQuery("refused", PageSize: 100));
        Assert.Equal(minutes, total);
        Assert.All(listed, r => Assert.Contains(r.Id, runs.Select(run => run.Id)));

        var counted = 0;
        foreach (var run in runs)
        {
            // An id answers its own run or none: never a different run's.
            if (await engine.Journal.GetRunAsync(run.Id) is { } read)
            {
                Assert.Equal(run.Id, read.Id);
                Assert.Equal((RunStatus.Failed, "Locked", "Updates are locked"), (read.Status, read.Reason, read.Message));
                Assert.Equal((run.CreatedAt, run.EndedAt), (read.CreatedAt, read.EndedAt));
                Assert.Equal(run.Steps.Select(t => (t.ActivityId, t.StartedAt, t.EndedAt)), read.Steps.Select(t => (t.ActivityId, t.StartedAt, t.EndedAt)));
                Assert.Equal(run.Input.GetRawText(), read.Input.GetRawText());
                continue;
            }

            counted++;
            var refusal = Assert.Single(await engine.Journal.ListRefusalsAroundAsync(run.Id));
            Assert.Equal(("refused", "Locked"), (refusal.WorkflowId, refusal.Reason));
            Assert.Contains(refusal.KeptRunId, listed.Select(r => r.Id));
        }

        Assert.Equal(runs.Count - minutes, counted);
        var counts = (await Task.WhenAll(runs.Select(r => r.Id).Concat(listed.Select(r => r.Id)).Select(id => engine.Journal.ListRefusalsAroundAsync(id))))
            .SelectMany(c => c).DistinctBy(c => c.Minute).ToList();
        Assert.Equal(runs.Count, counts.Sum(c => c.Count));
        Assert.Empty(await engine.Journal.ListRefusalsAroundAsync("not-a-run-id"));
        Assert.Null(await engine.Journal.GetRunAsync("ffffffffffff7000800000000000000a"));
    }

    [Fact]
    public async Task A_run_that_completes_without_writing_ahead_is_written_behind_in_full_every_time()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);

        var runs = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => engine.StartInMemoryAsync("quiet")));

        var (listed, total) = await engine.Journal.ListRunsAsync(new RunQuery("quiet", PageSize: 100));
        Assert.Equal(runs.Length, total);
        foreach (var run in runs)
        {
            Assert.Equal(run.Id, (await engine.Journal.GetRunAsync(run.Id))!.Id);
        }
    }
}
