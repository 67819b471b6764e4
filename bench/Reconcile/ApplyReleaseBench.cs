using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;
using Supervisor.Host;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Target;

namespace Supervisor.Bench.Reconcile;

/// <summary>
/// Applying a three-service release from nothing: the reconciler (target stored → loop → apply
/// job → fetch jobs on the fetch queue → create and start runs) against a plain Docker.DotNet
/// program that pulls the same images at once, tags them, then creates and starts the same
/// containers, in the same run, alternating which goes first. Both start with none of the images
/// and none of the containers on the engine.
/// </summary>
public static class ApplyReleaseBench
{
    private static readonly string[] SleepCommand = ["sleep", "600"];

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 10);
        var warmup = Options.Number(args, "warmup", 2);
        var keys = (Options.Text(args, "fixtures") ?? "app-v1,app-v2,large").Split(',');
        var environment = BenchEngineEnvironment.FromEnvironment();
        var images = keys.Select(environment.Fixture).ToArray();

        using var directory = new BenchDirectory("apply-release");
        foreach (var id in new[] { "fetch-image", "create-service", "start-service", "stop-service", "remove-service", "remove-image" })
        {
            File.Copy(Path.Combine("workflow-definitions", id + ".json"), Path.Combine(directory.Workflows, id + ".json"));
        }

        using var host = Build(directory, environment.DockerHost);
        await host.StartAsync().ConfigureAwait(false);
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(environment.DockerHost)).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        var store = host.Services.GetRequiredService<TargetStateStore>();
        var status = host.Services.GetRequiredService<ApplyStatus>();
        var rawTimes = new List<double>();
        var ourTimes = new List<double>();
        var tag = Guid.NewGuid().ToString("N")[..8];
        try
        {
            for (var i = 0; i < warmup + iterations; i++)
            {
                var rawFirst = i % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var raw = (turn == 0) == rawFirst;
                    await ClearAsync(client, store, status, images).ConfigureAwait(false);
                    var elapsed = raw
                        ? await RawApplyAsync(client, images, $"raw-{tag}-{i}").ConfigureAwait(false)
                        : await SupervisorApplyAsync(host.Services, client, store, status, images, $"{tag}{i:D4}").ConfigureAwait(false);
                    if (i >= warmup)
                    {
                        (raw ? rawTimes : ourTimes).Add(elapsed);
                    }
                }
            }

            // The device now runs the last release: passes of the real loop with nothing to do.
            await IdlePassesAsync(host.Services, directory, passes: 20).ConfigureAwait(false);
        }
        finally
        {
            await ClearAsync(client, store, status, images).ConfigureAwait(false);
            await host.StopAsync().ConfigureAwait(false);
        }

        var rawStats = LatencyStats.Of(rawTimes);
        var ourStats = LatencyStats.Of(ourTimes);
        var ratio = ourStats.Median / rawStats.Median;
        Console.WriteLine($"Release of {images.Length} services ({string.Join(", ", keys)}), {iterations} iterations each after {warmup} warm-up, alternating; images and containers removed before each");
        Console.WriteLine($"Raw Docker.DotNet (parallel pulls + tags, then create + start each): {rawStats}");
        Console.WriteLine($"Supervisor (target stored → containers started, apply job ended):   {ourStats}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio of medians: {ratio:0.000}; median difference {ourStats.Median - rawStats.Median:0.0} ms. Target: ratio at most 1.15: {(ratio <= 1.15 ? "PASS" : "FAIL")}"));
        return 0;
    }

    /// <summary>
    /// Asks the running loop for passes while the device is at its target, and checks that they
    /// queued no Hangfire job and left the supervisor database untouched.
    /// </summary>
    private static async Task IdlePassesAsync(IServiceProvider services, BenchDirectory directory, int passes)
    {
        var status = services.GetRequiredService<ApplyStatus>();
        var trigger = services.GetRequiredService<ApplyTrigger>();
        var monitoring = services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        while (status.Current is not { AtTarget: true, Applying: false })
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        static long Jobs(Hangfire.Storage.IMonitoringApi api)
        {
            var statistics = api.GetStatistics();
            return statistics.Enqueued + statistics.Processing + statistics.Succeeded + statistics.Deleted + statistics.Failed + statistics.Scheduled;
        }

        var jobsBefore = Jobs(monitoring);
        var filesBefore = FileState.Of(directory.Data).Where(f => f.Key.StartsWith("supervisor.db", StringComparison.Ordinal)).ToList();
        var times = new List<double>();
        var listings = new List<double>();
        using var docker = new DockerClientBuilder().WithEndpoint(services.GetRequiredService<DockerEngine>().Endpoint).Build();
        for (var i = 0; i < passes; i++)
        {
            // The one engine call a pass cannot avoid, as the baseline.
            var listed = Stopwatch.GetTimestamp();
            await ListAsync(docker, $"{ServiceLabels.Instance}=bench-apply").ConfigureAwait(false);
            listings.Add(Clock.MillisecondsSince(listed));

            var before = status.Current.Passes;
            var start = Stopwatch.GetTimestamp();
            trigger.Request("bench");
            while (status.Current.Passes == before)
            {
                await Task.Yield();
            }

            times.Add(Clock.MillisecondsSince(start));
        }

        var filesAfter = FileState.Of(directory.Data).Where(f => f.Key.StartsWith("supervisor.db", StringComparison.Ordinal)).ToList();
        var unchanged = filesBefore.SequenceEqual(filesAfter);
        var jobs = Jobs(monitoring) - jobsBefore;
        Console.WriteLine($"Raw labelled container listing (baseline): {LatencyStats.Of(listings)}");
        Console.WriteLine($"Loop passes at target ({passes}): {LatencyStats.Of(times)}; Hangfire jobs queued: {jobs}; supervisor.db changed: {(unchanged ? "no" : "YES")} -> {(jobs == 0 && unchanged ? "PASS" : "FAIL")}");
    }

    /// <summary>The host's own wiring (<see cref="SupervisorServiceCollectionExtensions.AddSupervisorCore"/>), without the HTTP API.</summary>
    internal static IHost Build(BenchDirectory directory, string dockerHost)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = directory.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supervisor:DataDir"] = directory.Data,
            ["Supervisor:WorkflowsDir"] = directory.Workflows,
            ["Supervisor:DockerHost"] = dockerHost,
            ["Supervisor:LockRoot"] = Path.Combine(directory.Path, "locks"),
            ["Supervisor:Instance"] = "bench-apply",
        });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSupervisorCore(builder.Configuration);
        return builder.Build();
    }

    private static string Target(FixtureImage[] images, string appUuid, string commit)
    {
        var services = string.Join(",", images.Select((image, n) => $$"""
            "s{{n}}": { "image": "{{image.Reference}}", "composition": { "command": ["sleep", "600"], "network_mode": "none", "stop_grace_period": "1s" } }
            """));
        return $$"""
            { "bench-device": { "name": "bench", "config": {}, "apps": { "{{appUuid}}": { "name": "bench", "class": "fleet",
              "releases": { "{{commit}}": { "services": { {{services}} }, "volumes": {}, "networks": {} } } } } } }
            """;
    }

    private static async Task<double> SupervisorApplyAsync(IServiceProvider host, DockerClient client, TargetStateStore store, ApplyStatus status, FixtureImage[] images, string name)
    {
        var target = TargetStateParser.Parse(Target(images, $"app{name}", $"c{name}")).State
            ?? throw new InvalidOperationException("The bench's target state does not parse.");
        var start = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        await AppliedTarget.SaveAndWaitAsync(store, status, target).ConfigureAwait(false);

        var elapsed = Clock.MillisecondsSince(start);
        if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
        {
            // Where the time went: each run of this apply, from the moment the target was stored.
            var journal = host.GetRequiredService<Supervisor.Workflows.Runs.WorkflowJournal>();
            var (runs, _) = await journal.ListRunsAsync(new Supervisor.Workflows.Runs.RunQuery(PageSize: 500)).ConfigureAwait(false);
            foreach (var run in runs.Where(r => r.CreatedAt >= startedAt).OrderBy(r => r.CreatedAt))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {run.WorkflowId,-15} created +{(run.CreatedAt - startedAt).TotalMilliseconds,7:0} ms, ended +{((run.EndedAt ?? startedAt) - startedAt).TotalMilliseconds,7:0} ms"));
            }
        }

        var running = await ListAsync(client, $"{ServiceLabels.AppUuid}=app{name}").ConfigureAwait(false);
        return running.Count(c => c.State == "running") == images.Length
            ? elapsed
            : throw new InvalidOperationException($"The apply ended with {running.Count(c => c.State == "running")} of {images.Length} containers running.");
    }

    /// <summary>What a plain program does: the pulls at once (by digest, then a tag each), then create and start each container.</summary>
    private static async Task<double> RawApplyAsync(DockerClient client, FixtureImage[] images, string name)
    {
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(images.Select(async image =>
        {
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image.DigestName }, null!, new Progress<JSONMessage>()).ConfigureAwait(false);
            await client.Images.TagImageAsync(image.DigestName, new ImageTagParameters { RepositoryName = image.Repository, Tag = image.Tag }).ConfigureAwait(false);
        })).ConfigureAwait(false);
        for (var n = 0; n < images.Length; n++)
        {
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Name = $"{name}-s{n}",
                Image = images[n].TagName,
                Cmd = SleepCommand,
                Labels = new Dictionary<string, string> { ["bench.raw"] = name },
                HostConfig = new HostConfig { Init = true, NetworkMode = "none" },
            }).ConfigureAwait(false);
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()).ConfigureAwait(false);
        }

        return Clock.MillisecondsSince(start);
    }

    /// <summary>Nothing of either side left: the supervisor's target emptied and applied, the raw containers and every image removed.</summary>
    private static async Task ClearAsync(DockerClient client, TargetStateStore store, ApplyStatus status, FixtureImage[] images)
    {
        var empty = TargetStateParser.Parse("""{ "bench-device": { "name": "bench", "config": {}, "apps": {} } }""").State!;
        await store.SaveAsync(empty, "bench").ConfigureAwait(false);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await ListAsync(client, $"{ServiceLabels.Instance}=bench-apply").ConfigureAwait(false)).Count > 0 || status.Current.Applying)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The supervisor did not remove its containers within 2 minutes.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        foreach (var container in await ListAsync(client, "bench.raw").ConfigureAwait(false))
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }).ConfigureAwait(false);
        }

        foreach (var image in images)
        {
            try
            {
                await client.Images.DeleteImageAsync(image.ImageId, new ImageDeleteParameters { Force = true }).ConfigureAwait(false);
            }
            catch (DockerImageNotFoundException)
            {
                // Not there (the supervisor's removal took it).
            }
        }

    }

    private static Task<IList<ContainerListResponse>> ListAsync(DockerClient client, string label) =>
        client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });
}
