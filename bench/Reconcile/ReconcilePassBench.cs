using System.Diagnostics;
using System.Globalization;
using System.Text;
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

            var imageName = $"{repository}:v1";
            var release = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var service = string.Create(CultureInfo.InvariantCulture, $"svc{i}");
                containers.Add(await engine.CreateContainerAsync(new Supervisor.Activities.Engine.ContainerSpec
                {
                    Name = $"{service}-{tag}",
                    Image = imageName,
                    Command = ["/bench-id"],
                    NetworkMode = "none",
                    Labels = new Dictionary<string, string>
                    {
                        [ServiceLabels.Supervised] = "true",
                        [ServiceLabels.Instance] = new ServiceOptions().Instance,
                        [ServiceLabels.AppUuid] = appUuid,
                        [ServiceLabels.ServiceName] = service,
                        [ServiceLabels.Commit] = "commit1",
                    },
                }).ConfigureAwait(false));
                await store.RecordAsync(new ImageRecord(0, imageName, appUuid, service, "commit1", null, default)).ConfigureAwait(false);
                release.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}\"{service}\": {{ \"image\": \"{imageName}\", \"running\": false }}");
            }

            var target = TargetStateParser.Parse(
                $$"""{ "device": { "apps": { "{{appUuid}}": { "name": "bench", "releases": { "commit1": { "services": { {{release}} } } } } } } }""").State
                ?? throw new InvalidOperationException("the bench's target state does not parse");

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
