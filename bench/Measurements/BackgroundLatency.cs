using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Jobs;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// A background run: from <see cref="WorkflowScheduler.Enqueue"/> to the start of the run's
/// first activity, through Hangfire on its SQLite storage with the host's default settings.
/// </summary>
public static class BackgroundLatency
{
    private const string WorkflowId = "stamped";

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 200);
        var warmup = Options.Number(args, "warmup", 10);
        using var directory = new BenchDirectory("background");
        directory.WriteDefinition(WorkflowId, BenchDefinitions.Chain(WorkflowId, nameof(StartStamp), 1));
        using var host = InProcessHost.Build(directory, services =>
        {
            services.AddSingleton<StartStamps>();
            services.AddWorkflowActivity<StartStamp>();
        });
        await host.StartAsync().ConfigureAwait(false);
        var jobs = host.Services.GetRequiredService<IOptions<JobOptions>>().Value;
        var scheduler = host.Services.GetRequiredService<WorkflowScheduler>();
        var stamps = host.Services.GetRequiredService<StartStamps>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Hangfire SQLite storage, QueuePollInterval {jobs.QueuePollInterval.TotalMilliseconds} ms, {jobs.DefaultWorkers} default-queue workers"));

        var latencies = new List<double>();
        var enqueueCalls = new List<double>();
        for (var i = 0; i < warmup + iterations; i++)
        {
            var started = stamps.Arm();
            var before = Stopwatch.GetTimestamp();
            scheduler.Enqueue(WorkflowId, default, "bench");
            var enqueued = Stopwatch.GetTimestamp();
            var at = await started.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (i >= warmup)
            {
                latencies.Add(Clock.MillisecondsBetween(before, at));
                enqueueCalls.Add(Clock.MillisecondsBetween(before, enqueued));
            }

            // Let the run finish, then enqueue at a random point of the workers' poll cycle:
            // enqueueing in step with it would measure one phase of the cycle only.
            await Task.Delay(50 + Random.Shared.Next((int)jobs.QueuePollInterval.TotalMilliseconds)).ConfigureAwait(false);
        }

        var succeeded = SucceededJobs(host);
        await host.StopAsync().ConfigureAwait(false);

        var stats = LatencyStats.Of(latencies);
        Console.WriteLine($"Enqueue call alone:               {LatencyStats.Of(enqueueCalls)}");
        Console.WriteLine($"Enqueue to first activity start:  {stats}");
        Console.WriteLine($"Hangfire jobs succeeded: {succeeded}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Target: median < 250 ms -> {(stats.Median < 250 ? "PASS" : "FAIL")}"));
        return 0;
    }

    private static long SucceededJobs(IHost host) =>
        host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics().Succeeded;
}
