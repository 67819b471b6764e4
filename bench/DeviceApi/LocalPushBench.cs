using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;

namespace Supervisor.Bench.DeviceApi;

/// <summary>
/// What <c>balena push</c> waits for once its builds are done: the CLI's target-state POST to the local-mode host
/// (the v2 "local" document it sends, two services whose images exist only on the engine, one with environment and
/// ports) until both containers run, against a plain Docker.DotNet program that applies the same builds as
/// <c>docker compose up</c> would (the app's network, then both containers created and started at once), in the same
/// run, alternating which goes first. The builds themselves are the same on both sides and are not measured: the
/// two fixture images, tagged under <c>local_…</c> names as the CLI's builds are. <c>--services N</c> adds workers
/// (<c>worker2</c>…), for a larger push. The services run <c>sleep</c> under an init, so that the empty target between
/// turns stops them at once rather than after their grace period.
/// </summary>
public static class LocalPushBench
{
    private static readonly string[] SleepCommand = ["sleep", "600"];

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 10);
        var warmup = Options.Number(args, "warmup", 2);
        using var device = await LocalDevice.StartAsync("push", args).ConfigureAwait(false);
        var fixtures = new[] { device.Environment.Fixture("app-v1"), device.Environment.Fixture("app-v2") };
        var tag = Guid.NewGuid().ToString("N")[..8];
        var count = Math.Max(2, Options.Number(args, "services", 2));
        string[] builds = [$"local_web{tag}", .. Enumerable.Range(1, count - 1).Select(k => $"local_{Worker(k)}{tag}")];
        var rawLabel = $"bench.raw=raw-{tag}";
        var port = FreePort();
        var raw = new List<double>();
        var ours = new List<double>();
        try
        {
            for (var i = 0; i < warmup + iterations; i++)
            {
                for (var turn = 0; turn < 2; turn++)
                {
                    var direct = (turn == 0) == (i % 2 == 0);
                    await BuildsPresentAsync(device.Docker, fixtures, builds).ConfigureAwait(false);
                    var elapsed = direct
                        ? await RawAsync(device.Docker, builds, port, rawLabel, $"raw-{tag}-{i}").ConfigureAwait(false)
                        : await PushAsync(device, builds, port).ConfigureAwait(false);
                    if (i >= warmup)
                    {
                        (direct ? raw : ours).Add(elapsed);
                    }

                    await (direct ? RemoveRawAsync(device, rawLabel) : EmptyAsync(device)).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await RemoveRawAsync(device, rawLabel).ConfigureAwait(false);
            await device.StopAndRemoveAsync().ConfigureAwait(false);
            foreach (var build in builds)
            {
                await DeleteImageAsync(device.Docker, build).ConfigureAwait(false);
            }
        }

        var rawStats = LatencyStats.Of(raw);
        var ourStats = LatencyStats.Of(ours);
        var ratio = ourStats.Median / rawStats.Median;
        Console.WriteLine($"{count} services from images built on the device, {iterations} iterations each after {warmup} warm-up, alternating; containers removed before each");
        Console.WriteLine($"Plain Docker.DotNet (network, then all created and started at once): {rawStats}");
        Console.WriteLine($"Supervisor (v2 local target POST → every container started):        {ourStats}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio of medians: {ratio:0.000}; median difference {ourStats.Median - rawStats.Median:0.0} ms. Target: at most 1.2: {(ratio <= 1.2 ? "PASS" : "FAIL")}"));
        return 0;
    }

    /// <summary>The first worker is <c>worker</c>, as in the two-service project; the others are numbered.</summary>
    private static string Worker(int k) => k == 1 ? "worker" : $"worker{k}";

    /// <summary>The document <c>balena push</c> posts (its v2 "local" shape), with its fixed app id and commit.</summary>
    private static string Target(string[] builds, int port)
    {
        var workers = string.Concat(Enumerable.Range(1, builds.Length - 1).Select(k => $$"""
            , "{{k + 1}}": { "serviceName": "{{Worker(k)}}", "serviceId": {{k + 1}}, "imageId": {{k + 1}}, "image": "{{builds[k]}}", "running": true,
                   "environment": {}, "labels": {}, "command": ["sleep", "600"], "init": true }
            """));
        return $$"""
            { "local": { "name": "bench", "config": {}, "apps": { "1": { "name": "LocalApp", "commit": "deadbeef", "releaseId": "1",
              "services": {
                "1": { "serviceName": "web", "serviceId": 1, "imageId": 1, "image": "{{builds[0]}}", "running": true,
                       "environment": { "GREETING": "hello" }, "labels": {}, "ports": ["{{port}}:80"], "command": ["sleep", "600"], "init": true }
                {{workers}} },
              "volumes": {}, "networks": {} } } }, "dependent": {} }
            """;
    }

    private static async Task<double> PushAsync(LocalDevice device, string[] builds, int port)
    {
        using var starts = new EngineStarts(device.Docker, device.InstanceLabel);
        var startedAt = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        await device.PostTargetAsync(Target(builds, port)).ConfigureAwait(false);
        await starts.CountAsync(builds.Length, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        var elapsed = Clock.MillisecondsSince(start);
        if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
        {
            await TimelineAsync(device.Http, startedAt).ConfigureAwait(false);
        }

        return elapsed;
    }

    /// <summary>Where the time went: each run of the push, from the moment the target was posted.</summary>
    private static async Task TimelineAsync(HttpClient http, DateTimeOffset startedAt)
    {
        using var runs = JsonDocument.Parse(await http.GetStringAsync(new Uri("/v3/runs?pageSize=100", UriKind.Relative)).ConfigureAwait(false));
        foreach (var run in runs.RootElement.GetProperty("runs").EnumerateArray()
            .Select(r => (Id: r.GetProperty("id").GetString(), Workflow: r.GetProperty("workflowId").GetString(), Created: r.GetProperty("createdAt").GetDateTimeOffset(),
                Ended: r.TryGetProperty("endedAt", out var e) && e.ValueKind == JsonValueKind.String ? e.GetDateTimeOffset() : (DateTimeOffset?)null))
            .Where(r => r.Created >= startedAt)
            .OrderBy(r => r.Created))
        {
            using var detail = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/v3/runs/{run.Id}", UriKind.Relative)).ConfigureAwait(false));
            var steps = string.Join(", ", detail.RootElement.GetProperty("steps").EnumerateArray().Select(step => string.Create(CultureInfo.InvariantCulture,
                $"{step.GetProperty("activityId").GetString()} +{(step.GetProperty("startedAt").GetDateTimeOffset() - startedAt).TotalMilliseconds:0} {(step.GetProperty("durationMs").ValueKind == JsonValueKind.Number ? step.GetProperty("durationMs").GetDouble() : double.NaN):0} ms")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {run.Workflow,-18} created +{(run.Created - startedAt).TotalMilliseconds,6:0} ms, ended {(run.Ended is { } ended ? $"+{(ended - startedAt).TotalMilliseconds,6:0} ms" : "(still running)")}: {steps}"));
        }
    }

    /// <summary>What <c>docker compose up</c> does with the same builds: the app's network, then every service at once.</summary>
    private static async Task<double> RawAsync(DockerClient docker, string[] builds, int port, string label, string name)
    {
        var labels = new Dictionary<string, string> { [label.Split('=')[0]] = label.Split('=')[1] };
        var start = Stopwatch.GetTimestamp();
        await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = name, Labels = labels }).ConfigureAwait(false);
        var always = new RestartPolicy { Name = RestartPolicyKind.Always };
        var web = new CreateContainerParameters
        {
            Name = $"{name}-web",
            Image = builds[0],
            Cmd = SleepCommand,
            Env = ["GREETING=hello"],
            Labels = labels,
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["80/tcp"] = default },
            HostConfig = new HostConfig
            {
                NetworkMode = name,
                Init = true,
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["80/tcp"] = [new PortBinding { HostPort = port.ToString(CultureInfo.InvariantCulture) }] },
                RestartPolicy = always,
            },
        };
        await Task.WhenAll(builds.Skip(1).Select((build, k) => new CreateContainerParameters
        {
            Name = $"{name}-{Worker(k + 1)}",
            Image = build,
            Cmd = SleepCommand,
            Labels = labels,
            HostConfig = new HostConfig { NetworkMode = name, Init = true, RestartPolicy = always },
        }).Prepend(web).Select(CreateAndStartAsync)).ConfigureAwait(false);
        return Clock.MillisecondsSince(start);

        async Task CreateAndStartAsync(CreateContainerParameters parameters)
        {
            var created = await docker.Containers.CreateContainerAsync(parameters).ConfigureAwait(false);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The CLI's builds, as it leaves them: the images under their <c>local_…</c> names only. The supervisor removes
    /// a name when the app leaves the target, as balena does, so they are made again before each turn.
    /// </summary>
    private static async Task BuildsPresentAsync(DockerClient docker, FixtureImage[] fixtures, string[] builds)
    {
        for (var n = 0; n < builds.Length; n++)
        {
            try
            {
                await docker.Images.InspectImageAsync(builds[n]).ConfigureAwait(false);
                continue;
            }
            catch (DockerImageNotFoundException)
            {
            }

            var fixture = fixtures[n % fixtures.Length];
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = fixture.DigestName }, null!, new Progress<JSONMessage>()).ConfigureAwait(false);
            await docker.Images.TagImageAsync(fixture.DigestName, new ImageTagParameters { RepositoryName = builds[n], Tag = "latest" }).ConfigureAwait(false);
        }
    }

    /// <summary>An empty local target, applied: the app's containers and network gone.</summary>
    private static async Task EmptyAsync(LocalDevice device)
    {
        await device.PostTargetAsync("""{ "local": { "name": "bench", "config": {}, "apps": {} }, "dependent": {} }""").ConfigureAwait(false);
        await device.UntilAsync(async () =>
        {
            using var status = await device.Http.GetAsync(new Uri("/v2/state/status", UriKind.Relative)).ConfigureAwait(false);
            var body = await status.Content.ReadAsStringAsync().ConfigureAwait(false);
            return body.Contains("\"appState\":\"applied\"", StringComparison.Ordinal)
                && (await device.ContainersAsync(device.InstanceLabel).ConfigureAwait(false)).Count == 0;
        }, "the empty target to be applied").ConfigureAwait(false);
    }

    private static async Task RemoveRawAsync(LocalDevice device, string label)
    {
        await device.RemoveContainersAsync(label).ConfigureAwait(false);
        var networks = await device.Docker.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }).ConfigureAwait(false);
        foreach (var network in networks)
        {
            await device.Docker.Networks.DeleteNetworkAsync(network.ID).ConfigureAwait(false);
        }
    }

    private static async Task DeleteImageAsync(DockerClient docker, string name)
    {
        try
        {
            await docker.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = true }).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            // The supervisor removed it.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
