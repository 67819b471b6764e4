using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Services;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Bench.Reconcile;

/// <summary>
/// A release that changes one of ten running services (its environment, as a fleet variable change does): the
/// reconciler's apply, from the target stored to the apply ended, against the same single-service update done
/// directly through Docker.DotNet (stop, remove, create, start one container of ten), in the same run, alternating.
/// It also checks that the nine unchanged containers were left alone.
/// </summary>
public static class ChangeOneServiceBench
{
    private const int Services = 10;
    private static readonly string[] SleepCommand = ["sleep", "600"];

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 10);
        var warmup = Options.Number(args, "warmup", 2);
        var environment = BenchEngineEnvironment.FromEnvironment();
        var image = environment.Fixture(Options.Text(args, "fixture") ?? "app-v1");

        using var directory = new BenchDirectory("change-one");
        foreach (var id in ReconcileWorkflows.All)
        {
            File.Copy(Path.Combine("workflow-definitions", id + ".json"), Path.Combine(directory.Workflows, id + ".json"));
        }

        using var host = ApplyReleaseBench.Build(directory, environment.DockerHost);
        await host.StartAsync().ConfigureAwait(false);
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(environment.DockerHost)).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        var store = host.Services.GetRequiredService<TargetStateStore>();
        var status = host.Services.GetRequiredService<ApplyStatus>();
        var name = Guid.NewGuid().ToString("N")[..8];
        var appUuid = $"app{name}";
        var rawTimes = new List<double>();
        var ourTimes = new List<double>();
        var raw = new List<string>();
        try
        {
            var revisions = new int[Services];
            await AppliedTarget.SaveAndWaitAsync(store, status, Target(image, appUuid, revisions)).ConfigureAwait(false);
            await client.Images.TagImageAsync(image.DigestName, new ImageTagParameters { RepositoryName = image.Repository, Tag = image.Tag }).ConfigureAwait(false);
            for (var n = 0; n < Services; n++)
            {
                raw.Add(await CreateRawAsync(client, image, $"raw-{name}-s{n}-0", n, 0).ConfigureAwait(false));
            }

            for (var i = 0; i < warmup + iterations; i++)
            {
                var changed = i % Services;
                var rawFirst = i % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var isRaw = (turn == 0) == rawFirst;
                    double elapsed;
                    if (isRaw)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await client.Containers.StopContainerAsync(raw[changed], new ContainerStopParameters { WaitBeforeKillSeconds = 1 }).ConfigureAwait(false);
                        await client.Containers.RemoveContainerAsync(raw[changed], new ContainerRemoveParameters()).ConfigureAwait(false);
                        raw[changed] = await CreateRawAsync(client, image, $"raw-{name}-s{changed}-{i + 1}", changed, i + 1).ConfigureAwait(false);
                        elapsed = Clock.MillisecondsSince(start);
                    }
                    else
                    {
                        var before = await IdsAsync(client, appUuid).ConfigureAwait(false);
                        var start = Stopwatch.GetTimestamp();
                        revisions[changed]++;
                        await AppliedTarget.SaveAndWaitAsync(store, status, Target(image, appUuid, revisions)).ConfigureAwait(false);
                        elapsed = Clock.MillisecondsSince(start);
                        var after = await IdsAsync(client, appUuid).ConfigureAwait(false);
                        var kept = before.Count(b => after.TryGetValue(b.Key, out var id) && id == b.Value);
                        if (kept != Services - 1 || after[$"s{changed}"] == before[$"s{changed}"])
                        {
                            throw new InvalidOperationException($"Expected s{changed} recreated and the other {Services - 1} kept; {kept} were kept.");
                        }
                    }

                    if (i >= warmup)
                    {
                        (isRaw ? rawTimes : ourTimes).Add(elapsed);
                    }
                }
            }
        }
        finally
        {
            foreach (var id in raw)
            {
                await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }).ConfigureAwait(false);
            }

            await AppliedTarget.SaveAndWaitAsync(store, status, TargetStateParser.Parse("""{ "bench-device": { "name": "bench", "config": {}, "apps": {} } }""").State!).ConfigureAwait(false);
            await host.StopAsync().ConfigureAwait(false);
        }

        var rawStats = LatencyStats.Of(rawTimes);
        var ourStats = LatencyStats.Of(ourTimes);
        var ratio = ourStats.Median / rawStats.Median;
        Console.WriteLine($"One of {Services} running services changed (its environment), {iterations} iterations each after {warmup} warm-up, alternating");
        Console.WriteLine($"Raw Docker.DotNet (stop + remove + create + start that one container): {rawStats}");
        Console.WriteLine($"Supervisor (target stored → apply ended, the other {Services - 1} untouched):    {ourStats}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio of medians: {ratio:0.000}; median difference {ourStats.Median - rawStats.Median:0.0} ms. Target: ratio at most 1.2: {(ratio <= 1.2 ? "PASS" : "FAIL")}"));
        return 0;
    }

    /// <summary>Ten services of one image under one commit, each carrying its revision in its environment.</summary>
    private static TargetState Target(FixtureImage image, string appUuid, int[] revisions)
    {
        var services = string.Join(",", Enumerable.Range(0, Services).Select(n => $$"""
            "s{{n}}": { "image": "{{image.Reference}}", "environment": { "REVISION": "{{revisions[n]}}" },
              "composition": { "command": ["sleep", "600"], "init": true, "network_mode": "none", "stop_grace_period": "1s" } }
            """));
        return TargetStateParser.Parse($$"""
            { "bench-device": { "name": "bench", "config": {}, "apps": { "{{appUuid}}": { "name": "bench", "class": "fleet",
              "releases": { "c{{appUuid}}": { "services": { {{services}} }, "volumes": {}, "networks": {} } } } } } }
            """).State ?? throw new InvalidOperationException("The bench's target state does not parse.");
    }

    private static async Task<string> CreateRawAsync(DockerClient client, FixtureImage image, string name, int service, int revision)
    {
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = image.TagName,
            Cmd = SleepCommand,
            Env = [string.Create(CultureInfo.InvariantCulture, $"REVISION={revision}")],
            Labels = new Dictionary<string, string> { ["bench.raw"] = name, ["bench.service"] = $"s{service}" },
            HostConfig = new HostConfig { Init = true, NetworkMode = "none" },
        }).ConfigureAwait(false);
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()).ConfigureAwait(false);
        return created.ID;
    }

    private static async Task<Dictionary<string, string>> IdsAsync(DockerClient client, string appUuid)
    {
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={appUuid}"] = true } },
        }).ConfigureAwait(false);
        return containers.ToDictionary(c => c.Labels[ServiceLabels.ServiceName], c => c.ID);
    }
}
