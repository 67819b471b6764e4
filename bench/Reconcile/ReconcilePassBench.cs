using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Locks;
using Supervisor.Activities.Services;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Workflows.Storage;

namespace Supervisor.Bench.Reconcile;

/// <summary>
/// The read-and-plan half of a reconcile pass with nothing to do: 50 supervised services on the
/// real engine that match the target, read with <see cref="CurrentStateReader"/> and planned with
/// <see cref="ReconcilePlanner"/>, against the one raw container listing the pass cannot avoid.
/// It also checks that the pass wrote nothing to the database. (The executor that would enqueue a
/// non-empty plan is not built yet; an empty plan enqueues nothing by construction.)
/// </summary>
public static class ReconcilePassBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = Options.Number(args, "services", 50);
        var runs = Options.Number(args, "runs", 50);
        var warmup = Options.Number(args, "warmup", 5);
        var environment = BenchEngineEnvironment.FromEnvironment();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var repository = $"bench.invalid/reconcile-{tag}/img";
        var appUuid = $"bench-app-{tag}";

        using var directory = new BenchDirectory("reconcile-pass");
        await using var services = await ImageBenchServices.BuildAsync(directory, environment.DockerHost).ConfigureAwait(false);
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(environment.DockerHost)).Build();
        var engine = services.GetRequiredService<IDockerEngine>();
        var store = services.GetRequiredService<ImageStore>();
        var serviceOptions = Microsoft.Extensions.Options.Options.Create(new ServiceOptions { LockRoot = Path.Combine(directory.Data, "locks") });
        var database = services.GetRequiredService<SupervisorDatabase>();
        using var lockFiles = new UpdateLockFiles(database, serviceOptions, TimeProvider.System);
        var lockFolders = new AppLockFolders(new StoredTargetApps(new TargetStateStore(database, TimeProvider.System)), engine, serviceOptions);
        var reader = new CurrentStateReader(engine, store, lockFolders, lockFiles, serviceOptions);
        var containers = new List<string>();
        try
        {
            using (var rootfs = RootFileSystem.Unique())
            {
                await client.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = "v1" }, rootfs, null!, new Progress<JSONMessage>()).ConfigureAwait(false);
            }

            // Full configurations, as a real release's: the pass must tell each container unchanged from its
            // fingerprint without reading any of it back.
            var imageName = $"{repository}:v1";
            const string Composition = """
                { "command": ["/bench-id"], "network_mode": "none", "init": true, "environment": { "MODE": "prod", "LEVEL": "3" },
                  "labels": { "com.example.tier": "backend" }, "cap_add": ["NET_ADMIN"], "dns": ["10.0.0.53"],
                  "extra_hosts": ["db:10.0.0.2"], "hostname": "svc", "working_dir": "/", "user": "0", "ulimits": { "nofile": 1024 },
                  "mem_limit": "64m", "cpu_shares": 512, "healthcheck": { "test": ["CMD", "/bench-id"], "interval": "30s" },
                  "tmpfs": ["/run"], "stop_grace_period": "1s", "restart": "unless-stopped", "ports": ["8080:80"] }
                """;
            var release = string.Join(",", Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture,
                $$"""
                "svc{{i}}": { "image": "{{imageName}}", "running": false, "composition": {{Composition}} }
                """)));
            var target = TargetStateParser.Parse(
                $$"""{ "device": { "apps": { "{{appUuid}}": { "name": "bench", "releases": { "commit1": { "services": { {{release}} } } } } } } }""").State
                ?? throw new InvalidOperationException("the bench's target state does not parse");
            foreach (var declared in target.Apps[appUuid].Release!.Services.Values)
            {
                var config = ReconcileSteps.Config(target.Apps[appUuid], declared);
                containers.Add(await engine.CreateContainerAsync(new Supervisor.Activities.Engine.ContainerSpec
                {
                    Name = ServiceContainerName.Format(declared.Name, appUuid, "commit1", null, null),
                    Image = imageName,
                    Config = config with
                    {
                        Labels = new Dictionary<string, string>(config.Labels)
                        {
                            [ServiceLabels.Supervised] = "true",
                            [ServiceLabels.Instance] = new ServiceOptions().Instance,
                            [ServiceLabels.AppUuid] = appUuid,
                            [ServiceLabels.ServiceName] = declared.Name,
                            [ServiceLabels.Commit] = "commit1",
                            [ServiceLabels.Config] = Supervisor.Activities.Services.Config.ServiceConfigFingerprint.Of(declared.Image.ToString(), config),
                        },
                    },
                }).ConfigureAwait(false));
                await store.RecordAsync(new ImageRecord(0, declared.Image.ToString(), appUuid, declared.Name, "commit1", null, default)).ConfigureAwait(false);
            }

            var before = FileState.Of(directory.Data);
            var passes = new List<double>();
            var listings = new List<double>();
            var labelFilter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.Supervised}=true"] = true } };
            for (var i = 0; i < warmup + runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = labelFilter }).ConfigureAwait(false);
                var listing = Clock.MillisecondsSince(start);

                start = Stopwatch.GetTimestamp();
                var current = await reader.ReadAsync(target).ConfigureAwait(false);
                var plan = ReconcilePlanner.Plan(target, current);
                var pass = Clock.MillisecondsSince(start);
                if (!plan.IsEmpty)
                {
                    throw new InvalidOperationException($"expected nothing to do, got {plan.Fetches.Count + plan.ServiceChanges.Count + plan.Removals.Count} steps");
                }

                if (i >= warmup)
                {
                    passes.Add(pass);
                    listings.Add(listing);
                }
            }

            var after = FileState.Of(directory.Data);
            var unchanged = before.Count == after.Count && before.All(b => after.TryGetValue(b.Key, out var a) && a == b.Value);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} services matching the target, {runs} passes"));
            var listingStats = LatencyStats.Of(listings);
            var passStats = LatencyStats.Of(passes);
            Console.WriteLine($"Raw container listing (Docker.DotNet): {listingStats}");
            Console.WriteLine($"Read current state + plan:             {passStats}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ratio of medians pass/listing: {passStats.Median / listingStats.Median:0.00}"));
            Console.WriteLine($"Plans: all empty; database files changed during the passes: {(unchanged ? "no" : "YES")}");
            Console.WriteLine($"Target: median < 50 ms, no writes -> {(passStats.Median < 50 && unchanged ? "PASS" : "FAIL")}");
            return 0;
        }
        finally
        {
            foreach (var id in containers)
            {
                await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }).ConfigureAwait(false);
            }

            try
            {
                await client.Images.DeleteImageAsync($"{repository}:v1", new ImageDeleteParameters { Force = true }).ConfigureAwait(false);
            }
            catch (DockerApiException)
            {
                // Never imported.
            }
        }
    }
}
