using System.Diagnostics;
using System.Globalization;
using Dapper;
using Supervisor.Bench.StepEngine;
using Supervisor.Workflows.Runs;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// A plain loop over the same inline runs as <see cref="StepEngineOverheadBenchmarks"/>, with one
/// bare commit timed after each run: a cross-check of the BenchmarkDotNet figure that also works
/// under <c>strace -c</c>, to count the flushes a run makes.
/// </summary>
public static class EngineRuns
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Options.Number(args, "runs", 100);
        var warmup = Options.Number(args, "warmup", 10);
        var activities = StepEngineOverheadBenchmarks.Activities;
        var flush = Enum.Parse<JournalFlush>(Options.Text(args, "journal-flush") ?? nameof(JournalFlush.EveryActivity));
        using var engine = new JournalledEngine("engine-runs", activities, flush: flush);
        await using (var setup = await engine.Database.OpenAsync().ConfigureAwait(false))
        {
            await setup.ExecuteAsync("CREATE TABLE bench_commits (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);").ConfigureAwait(false);
        }

        var perActivity = new List<double>();
        var commits = new List<double>();
        for (var i = 0; i < warmup + runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await engine.RunAsync().ConfigureAwait(false);
            var run = Clock.MillisecondsSince(start);

            start = Stopwatch.GetTimestamp();
            await using (var connection = await engine.Database.OpenAsync().ConfigureAwait(false))
            {
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                await connection.ExecuteAsync("INSERT INTO bench_commits (id, at) VALUES (@i, 0);", new { i }, transaction).ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
            }

            var commit = Clock.MillisecondsSince(start);
            if (i >= warmup)
            {
                perActivity.Add(run / activities);
                commits.Add(commit);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs} runs of {activities} no-op activities, journal on disk, JournalFlush={flush}"));
        Console.WriteLine($"Per activity:        {LatencyStats.Of(perActivity)}");
        Console.WriteLine($"One bare commit:     {LatencyStats.Of(commits)}");
        return 0;
    }
}
