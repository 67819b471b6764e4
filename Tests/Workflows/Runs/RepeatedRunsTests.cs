using System.Text.Json;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary>Which runs of one write behind are recorded as repeats of an earlier one, and which stay runs of their own.</summary>
public sealed class RepeatedRunsTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static WorkflowDefinition Definition(string hash) => new()
    {
        Id = "restart-service",
        Version = 1,
        Start = "lock",
        Activities = new Dictionary<string, ActivityNode>(),
        Source = "test",
        ContentHash = hash,
        Content = "{}",
    };

    private static readonly WorkflowDefinition Restart = Definition("h1");

    private static RunToWrite Refused(
        double atMs, string service = "main", string message = "updates.lock exists", string lockOutput = "updates.lock", WorkflowDefinition? definition = null)
    {
        var at = Start.AddMilliseconds(atMs);
        var run = new WorkflowRun(
            RunIds.New(at), "restart-service", 1, (definition ?? Restart).ContentHash, RunStatus.Failed, "api",
            JsonSerializer.SerializeToElement(new { appId = 1, serviceName = service }), "Locked", message, at, at.AddMilliseconds(1),
            [
                new WorkflowRunStep(1, "lock", "AcquireUpdateLocks", 1, at, at, "Locked", JsonSerializer.SerializeToElement(new { file = lockOutput }), null),
                new WorkflowRunStep(2, "locked", "Fail", 1, at, at.AddMilliseconds(1), null, null, message),
            ]);
        return new RunToWrite(definition ?? Restart, run, null);
    }

    [Fact]
    public void The_same_run_again_is_recorded_on_the_earliest_by_id_whatever_order_they_ended_in()
    {
        var runs = new[] { Refused(3), Refused(1), Refused(2), Refused(4) };

        var folded = RepeatedRuns.Fold(runs);

        var (first, repeats) = Assert.Single(folded);
        Assert.Equal(runs[1].Run.Id, first.Run.Id);
        Assert.Equal([runs[2].Run.Id, runs[0].Run.Id, runs[3].Run.Id], repeats);
    }

    [Fact]
    public void Runs_that_differ_in_anything_but_their_times_stay_runs_of_their_own()
    {
        var runs = new[]
        {
            Refused(1),
            Refused(2, service: "other"),
            Refused(3, message: "resin-updates.lock exists"),
            Refused(4, lockOutput: "resin-updates.lock"),
            Refused(5, definition: Definition("h2")),
            Refused(6) with { JobId = "job-1" },
            Refused(7),
        };

        var folded = RepeatedRuns.Fold(runs);

        Assert.Equal(runs.Take(6).Select(r => r.Run.Id), folded.Select(f => f.First.Run.Id));
        Assert.Equal([runs[6].Run.Id], folded[0].RepeatIds);
        Assert.All(folded.Skip(1), f => Assert.Empty(f.RepeatIds));
    }

    [Fact]
    public void A_run_more_than_the_window_after_the_one_it_repeats_starts_a_run_of_its_own_that_later_repeats_join()
    {
        var window = RepeatedRuns.Window.TotalMilliseconds;
        var runs = new[] { Refused(0), Refused(window), Refused(window + 1), Refused(window + 2) };

        var folded = RepeatedRuns.Fold(runs);

        Assert.Equal([runs[0].Run.Id, runs[2].Run.Id], folded.Select(f => f.First.Run.Id));
        Assert.Equal([runs[1].Run.Id], folded[0].RepeatIds);
        Assert.Equal([runs[3].Run.Id], folded[1].RepeatIds);
    }

    [Fact]
    public void Run_ids_tell_their_creation_time_and_the_lowest_id_of_an_instant_sorts_before_every_id_made_then()
    {
        var id = RunIds.New(Start);

        Assert.True(RunIds.TryGetCreatedAt(id, out var createdAt));
        Assert.Equal(Start, createdAt);
        Assert.True(string.CompareOrdinal(RunIds.Lowest(Start), id) <= 0);
        Assert.True(string.CompareOrdinal(RunIds.Lowest(Start.AddMilliseconds(1)), id) > 0);
        Assert.Equal(7, Guid.ParseExact(id, "N").Version);
        Assert.Equal(0b10, Guid.ParseExact(id, "N").Variant >> 2);
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => RunIds.New(Start)).Distinct(StringComparer.Ordinal).Count());
        Assert.False(RunIds.TryGetCreatedAt("x", out _));
        Assert.False(RunIds.TryGetCreatedAt(id.ToUpperInvariant(), out _));
        Assert.False(RunIds.TryGetCreatedAt("ffffffffffff7000800000000000000a", out _));
        Assert.False(RunIds.TryGetCreatedAt(Guid.NewGuid().ToString("N"), out _));
    }

    [Fact]
    public void A_run_records_at_most_MaxRepeats_repeats_and_the_next_one_starts_a_run_of_its_own()
    {
        var runs = Enumerable.Range(0, RepeatedRuns.MaxRepeats + 3).Select(i => Refused(i)).ToArray();

        var folded = RepeatedRuns.Fold(runs);

        Assert.Equal([runs[0].Run.Id, runs[RepeatedRuns.MaxRepeats + 1].Run.Id], folded.Select(f => f.First.Run.Id));
        Assert.Equal([RepeatedRuns.MaxRepeats, 1], folded.Select(f => f.RepeatIds.Count));
    }

    [Fact]
    public void A_run_written_in_an_earlier_batch_takes_later_repeats_within_the_window_and_the_cap_only()
    {
        var targets = new RepeatTargets();
        var written = Refused(0);
        targets.Written(written, repeats: 10);

        Assert.Equal(written.Run.Id, targets.Find(Refused(1), Start.AddMilliseconds(5), 3));
        Assert.Null(targets.Find(Refused(1, service: "other"), Start.AddMilliseconds(5), 3));
        Assert.Null(targets.Find(Refused(-1), Start.AddMilliseconds(5), 3));
        Assert.Null(targets.Find(Refused(1), Start + RepeatedRuns.Window + TimeSpan.FromMilliseconds(1), 3));
        Assert.Null(targets.Find(Refused(1), Start.AddMilliseconds(5), RepeatedRuns.MaxRepeats - 9));

        targets.Joined(Refused(1), "another run", 400);
        Assert.Equal(written.Run.Id, targets.Find(Refused(1), Start.AddMilliseconds(5), 3));
        targets.Joined(Refused(1), written.Run.Id, RepeatedRuns.MaxRepeats - 12);
        Assert.Equal(written.Run.Id, targets.Find(Refused(2), Start.AddMilliseconds(5), 2));
        Assert.Null(targets.Find(Refused(2), Start.AddMilliseconds(5), 3));

        // A newer run like it takes its place; expired or cleared, nothing is open.
        var newer = Refused(100);
        targets.Written(newer, repeats: 0);
        Assert.Equal(newer.Run.Id, targets.Find(Refused(101), Start.AddMilliseconds(101), 1));
        targets.Expire(Start.AddMilliseconds(100) + RepeatedRuns.Window);
        Assert.Equal(newer.Run.Id, targets.Find(Refused(101), Start.AddMilliseconds(101), 1));
        targets.Expire(Start.AddMilliseconds(101) + RepeatedRuns.Window);
        Assert.Null(targets.Find(Refused(102), Start.AddMilliseconds(102), 1));
        targets.Written(newer, repeats: 0);
        targets.Clear();
        Assert.Null(targets.Find(Refused(101), Start.AddMilliseconds(101), 1));
    }

    [Fact]
    public void A_run_whose_id_carries_no_time_is_never_folded()
    {
        var plain = Refused(1);
        plain = plain with { Run = plain.Run with { Id = Guid.NewGuid().ToString("N") } };
        var runs = new[] { Refused(0), plain, Refused(2) };

        var folded = RepeatedRuns.Fold(runs);

        Assert.Contains(folded, f => f.First.Run.Id == plain.Run.Id && f.RepeatIds.Count == 0);
        Assert.DoesNotContain(folded, f => f.RepeatIds.Contains(plain.Run.Id));
        Assert.Equal([runs[2].Run.Id], Assert.Single(folded, f => f.First.Run.Id == runs[0].Run.Id).RepeatIds);
    }
}
