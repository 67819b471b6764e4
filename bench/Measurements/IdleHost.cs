using System.Diagnostics;
using System.Globalization;
using Dapper;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervisor.Workflows.Storage;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// An idle host (an empty workflows folder, nothing scheduled): which jobs it creates and what it
/// writes to its two databases while it waits. The files are watched every 250 ms for changes
/// of size or modification time, and their content counted at the start and the end.
/// </summary>
public static class IdleHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Options.Number(args, "seconds", 40);
        var settle = Options.Number(args, "settle", 5);
        using var directory = new BenchDirectory("idle");
        var settings = Options.Settings(args);
        using var host = InProcessHost.Build(directory, settings: settings);
        await host.StartAsync().ConfigureAwait(false);

        // Startup writes on purpose (migrations, Hangfire's schema, the servers announcing
        // themselves); what counts is what happens after it.
        await Task.Delay(TimeSpan.FromSeconds(settle)).ConfigureAwait(false);
        var before = FileState.Of(directory.Data);
        var countsBefore = await CountsAsync(host).ConfigureAwait(false);
        var ioBefore = ProcessIo.Read();

        var changes = before.Keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var last = before;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(250).ConfigureAwait(false);
            var now = FileState.Of(directory.Data);
            foreach (var (name, state) in now)
            {
                if (!last.TryGetValue(name, out var previous) || previous != state)
                {
                    changes[name] = changes.GetValueOrDefault(name) + 1;
                }
            }

            last = now;
        }

        var ioAfter = ProcessIo.Read();
        var after = FileState.Of(directory.Data);
        var countsAfter = await CountsAsync(host).ConfigureAwait(false);
        await host.StopAsync().ConfigureAwait(false);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Idle for {seconds} s after {settle} s of startup, empty workflows folder."));
        foreach (var (key, value) in settings)
        {
            Console.WriteLine($"  with {key}={value}");
        }

        Console.WriteLine($"{"",-26}{"before",18}{"after",18}");
        foreach (var (name, value) in countsBefore)
        {
            Console.WriteLine($"{name,-26}{value,18}{countsAfter[name],18}");
        }

        Console.WriteLine();
        Console.WriteLine($"{"file",-22}{"size before",14}{"size after",14}{"modified",10}{"changes seen",14}");
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var b = before.GetValueOrDefault(name);
            var a = after.GetValueOrDefault(name);
            var modified = b is null || a is null || b != a ? "yes" : "no";
            Console.WriteLine($"{name,-22}{b?.Length,14}{a?.Length,14}{modified,10}{changes.GetValueOrDefault(name),14}");
        }

        var written = ioAfter.WriteBytes - ioBefore.WriteBytes;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Process storage writes while idle (/proc/self/io): {written / 1024.0:0} KiB in {ioAfter.WriteCalls - ioBefore.WriteCalls} write calls, {written / 1024.0 / seconds:0.0} KiB/s (~{written / (double)seconds * 86400 / (1 << 20):0} MiB/day)"));

        var supervisorFiles = before.Keys.Union(after.Keys).Where(n => n.StartsWith("supervisor.db", StringComparison.Ordinal));
        var journalWritten = supervisorFiles.Any(n => before.GetValueOrDefault(n) != after.GetValueOrDefault(n));
        var jobsCreated = countsAfter["hangfire jobs (total)"] - countsBefore["hangfire jobs (total)"];
        var runsCreated = countsAfter["workflow_runs"] - countsBefore["workflow_runs"] + countsAfter["workflow_run_steps"] - countsBefore["workflow_run_steps"];
        Console.WriteLine();
        Console.WriteLine($"Hangfire jobs created while idle: {jobsCreated}; journal rows written: {runsCreated}; supervisor.db files changed: {(journalWritten ? "yes" : "no")}");
        Console.WriteLine($"Target: no job, no journal write -> {(jobsCreated == 0 && runsCreated == 0 && !journalWritten ? "PASS" : "FAIL")}");
        return 0;
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountsAsync(IHost host)
    {
        var statistics = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
        var database = host.Services.GetRequiredService<SupervisorDatabase>();
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["hangfire jobs (total)"] = Total(statistics),
            ["hangfire enqueued"] = statistics.Enqueued,
            ["hangfire scheduled"] = statistics.Scheduled,
            ["hangfire recurring"] = statistics.Recurring,
            ["hangfire servers"] = statistics.Servers,
        };
        foreach (var table in (string[])["workflow_runs", "workflow_run_steps", "workflow_definitions"])
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table};").ConfigureAwait(false);
        }

        return counts;
    }

    // Every job that exists or existed: live states plus the succeeded and deleted counters.
    private static long Total(StatisticsDto s) => s.Enqueued + s.Scheduled + s.Processing + s.Failed + s.Succeeded + s.Deleted + (s.Awaiting ?? 0);
}
