using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;

namespace Supervisor.Bench.DeviceApi;

/// <summary>
/// The device API's action endpoints against the real host process and engine. One app with one
/// service runs; then (1) <c>restart-service</c> through the API against the same stop and start
/// done directly with Docker.DotNet, alternating; and (2) with a user's update lock held, 50
/// concurrent clients asking for <c>restart-service</c>, every answer a 423, against 50 concurrent
/// clients asking for <c>/ping</c> in the same run.
/// </summary>
public static class DeviceApiBench
{
    private const string ApiKey = "bench-api-key";
    private const long AppId = 77;

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 20);
        var warmup = Options.Number(args, "warmup", 3);
        var clients = Options.Number(args, "clients", 50);
        var perClient = Options.Number(args, "requests", 20);
        var rounds = Options.Number(args, "rounds", 3);
        var environment = BenchEngineEnvironment.FromEnvironment();
        var image = environment.Fixture("app-v1");
        var appUuid = "benchapi" + Guid.NewGuid().ToString("N")[..8];
        var instance = "bench-" + appUuid;

        using var directory = new BenchDirectory("device-api");
        foreach (var file in Directory.EnumerateFiles("workflow-definitions", "*.json"))
        {
            File.Copy(file, Path.Combine(directory.Workflows, Path.GetFileName(file)));
        }

        var lockRoot = Path.Combine(directory.Path, "locks");
        using var host = HostProcess.Start(directory, ApiKey,
            [$"--Supervisor:DockerHost={environment.DockerHost}", "--Supervisor:LocalMode=true",
            $"--Supervisor:LockRoot={lockRoot}", $"--Supervisor:Instance={instance}", .. Options.Settings(args).Select(s => $"--{s.Key}={s.Value}")]);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients + 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(environment.DockerHost)).Build();

        // A signal does not end the bench on the spot, which would leave its app's containers
        // behind: it stops the host, so that the bench's next request fails and the finally below
        // removes what the host created (with the host stopped first, its reconciler cannot start
        // them again).
        using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            host.Stop();
        }

        try
        {
            await WaitAsync(async () => (await http.GetAsync(new Uri("/ping", UriKind.Relative)).ConfigureAwait(false)).IsSuccessStatusCode, "the host to answer /ping").ConfigureAwait(false);
            var target = $$"""
                { "bench": { "name": "bench", "config": {}, "apps": { "{{appUuid}}": { "id": {{AppId}}, "name": "bench", "class": "fleet",
                  "releases": { "c1": { "id": 1, "volumes": {}, "networks": {}, "services": { "main": { "id": 1, "image_id": 1,
                    "image": "{{image.Reference}}", "composition": { "command": ["sleep", "600"], "network_mode": "none" } } } } } } } } }
                """;
            using (var posted = await http.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json")).ConfigureAwait(false))
            {
                posted.EnsureSuccessStatusCode();
            }

            string containerId = null!;
            await WaitAsync(async () =>
            {
                var running = await Containers(docker, appUuid).ConfigureAwait(false);
                containerId = running.FirstOrDefault(c => c.State == "running")?.ID!;
                return containerId is not null;
            }, "the service to run").ConfigureAwait(false);

            if (iterations > 0)
            {
                await RestartAsync(http, docker, containerId, iterations, warmup).ConfigureAwait(false);
            }

            var lockFile = Path.Combine(lockRoot, AppId.ToString(CultureInfo.InvariantCulture), "main", "updates.lock");
            Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
            await File.WriteAllTextAsync(lockFile, string.Empty).ConfigureAwait(false);
            var before = (await docker.Containers.InspectContainerAsync(containerId).ConfigureAwait(false)).State?.StartedAt;
            await LockedAsync(http, host, clients, perClient, warmup, rounds).ConfigureAwait(false);
            var after = (await docker.Containers.InspectContainerAsync(containerId).ConfigureAwait(false)).State?.StartedAt;
            Console.WriteLine($"Container restarted while locked: {(before == after ? "no" : "YES")}");
            File.Delete(lockFile);
            return 0;
        }
        finally
        {
            await RemoveContainersAsync(docker, appUuid).ConfigureAwait(false);
        }
    }

    private static async Task RemoveContainersAsync(DockerClient docker, string appUuid)
    {
        foreach (var container in await Containers(docker, appUuid).ConfigureAwait(false))
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone.
            }
        }
    }

    private static async Task RestartAsync(HttpClient http, DockerClient docker, string containerId, int iterations, int warmup)
    {
        var raw = new List<double>();
        var api = new List<double>();
        for (var i = 0; i < warmup + iterations; i++)
        {
            for (var turn = 0; turn < 2; turn++)
            {
                var direct = (turn == 0) == (i % 2 == 0);
                var start = Stopwatch.GetTimestamp();
                if (direct)
                {
                    // The same calls the workflow makes: stop with the service's grace period, then start.
                    await docker.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }).ConfigureAwait(false);
                    await docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters()).ConfigureAwait(false);
                }
                else
                {
                    using var response = await http.PostAsync(new Uri($"/v2/applications/{AppId}/restart-service", UriKind.Relative),
                        new StringContent("""{ "serviceName": "main" }""", Encoding.UTF8, "application/json")).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"restart-service answered {(int)response.StatusCode}: {body}");
                    }
                }

                var elapsed = Clock.MillisecondsSince(start);
                if (i >= warmup)
                {
                    (direct ? raw : api).Add(elapsed);
                }
            }
        }

        var rawStats = LatencyStats.Of(raw);
        var apiStats = LatencyStats.Of(api);
        var ratio = apiStats.Median / rawStats.Median;
        Console.WriteLine($"Raw stop + start (Docker.DotNet):        {rawStats}");
        Console.WriteLine($"POST restart-service (API, workflow):    {apiStats}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio of medians: {ratio:0.000}; median difference {apiStats.Median - rawStats.Median:0.0} ms. Target: at most 1.10: {(ratio <= 1.10 ? "PASS" : "FAIL")}"));
    }

    private static async Task LockedAsync(HttpClient http, HostProcess host, int clients, int perClient, int warmup, int rounds)
    {
        async Task<List<(double Ms, HttpStatusCode Status)>> Client(Func<HttpRequestMessage> request)
        {
            var results = new List<(double, HttpStatusCode)>();
            for (var n = 0; n < perClient; n++)
            {
                using var message = request();
                var start = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(message).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                results.Add((Clock.MillisecondsSince(start), response.StatusCode));
            }

            return results;
        }

        HttpRequestMessage Restart() => new(HttpMethod.Post, $"/v2/applications/{AppId}/restart-service")
        {
            Content = new StringContent("""{ "serviceName": "main" }""", Encoding.UTF8, "application/json"),
        };

        HttpRequestMessage Ping() => new(HttpMethod.Get, "/ping");

        // The same request refused by the endpoint's own validation (400, no service named): the
        // cost of the HTTP exchange, the key and the body, without any workflow.
        HttpRequestMessage Invalid() => new(HttpMethod.Post, $"/v2/applications/{AppId}/restart-service")
        {
            Content = new StringContent("{ }", Encoding.UTF8, "application/json"),
        };

        async Task<(List<(double Ms, HttpStatusCode Status)> Results, double CpuMicroseconds)> Round(Func<HttpRequestMessage> request)
        {
            await JournalWrittenAsync(http).ConfigureAwait(false);
            var cpu = host.ProcessorTime;
            var results = (await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Client(request))).ConfigureAwait(false)).SelectMany(r => r).ToList();

            // The refused runs' writes behind the answers are part of their cost.
            await JournalWrittenAsync(http).ConfigureAwait(false);
            return (results, (host.ProcessorTime - cpu).TotalMicroseconds / results.Count);
        }

        // Warm-up rounds (--warmup), exactly as the measured ones (the journal read between
        // rounds included), so that the JIT has tiered every path up. Then the measured rounds:
        // /ping, the 400 and the 423 in turn, each after the refused runs of the round before are
        // written (reading the run history waits for them), so that one does not pay for the
        // other. Each round is shown, so that a drift shows; the figures pool every round.
        for (var round = 0; round < Math.Max(1, warmup); round++)
        {
            await Round(Ping).ConfigureAwait(false);
            await Round(Invalid).ConfigureAwait(false);
            await Round(Restart).ConfigureAwait(false);
        }

        var pings = new List<(double Ms, HttpStatusCode Status)>();
        var invalids = new List<(double Ms, HttpStatusCode Status)>();
        var locked = new List<(double Ms, HttpStatusCode Status)>();
        double pingCpu = 0, invalidCpu = 0, lockedCpu = 0;
        Console.WriteLine($"{clients} concurrent clients × {perClient} requests each, {rounds} rounds");
        for (var round = 1; round <= Math.Max(1, rounds); round++)
        {
            var (roundPings, roundPingCpu) = await Round(Ping).ConfigureAwait(false);
            var (roundInvalid, roundInvalidCpu) = await Round(Invalid).ConfigureAwait(false);
            var (roundLocked, roundLockedCpu) = await Round(Restart).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round}: /ping p99 {P99(roundPings):0.00} ms, {roundPingCpu:0} µs; 400 p99 {P99(roundInvalid):0.00} ms, {roundInvalidCpu:0} µs; 423 p99 {P99(roundLocked):0.00} ms, {roundLockedCpu:0} µs"));
            pings.AddRange(roundPings);
            invalids.AddRange(roundInvalid);
            locked.AddRange(roundLocked);
            pingCpu += roundPingCpu / rounds;
            invalidCpu += roundInvalidCpu / rounds;
            lockedCpu += roundLockedCpu / rounds;
        }

        var not423 = locked.Count(r => r.Status != HttpStatusCode.Locked);
        var not400 = invalids.Count(r => r.Status != HttpStatusCode.BadRequest);
        Console.WriteLine($"GET /ping (baseline):                    {LatencyStats.Of([.. pings.Select(r => r.Ms)])}; p99 {P99(pings):0.00} ms; host CPU {pingCpu:0} µs per request");
        Console.WriteLine($"POST restart-service, no service (400):  {LatencyStats.Of([.. invalids.Select(r => r.Ms)])}; p99 {P99(invalids):0.00} ms; host CPU {invalidCpu:0} µs per request; answers other than 400: {not400}");
        Console.WriteLine($"POST restart-service under a user's lock: {LatencyStats.Of([.. locked.Select(r => r.Ms)])}; p99 {P99(locked):0.00} ms; host CPU {lockedCpu:0} µs per request; answers other than 423: {not423}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p99 ratio to /ping: {P99(locked) / P99(pings):0.00}; to the 400 without a workflow: {P99(locked) / P99(invalids):0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Target: p99 under 10 ms, all 423 -> {(P99(locked) < 10 && not423 == 0 ? "PASS" : "FAIL")}"));
    }

    private static async Task JournalWrittenAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/v3/runs?pageSize=1", UriKind.Relative)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static double P99(List<(double Ms, HttpStatusCode Status)> results)
    {
        var sorted = results.Select(r => r.Ms).Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
    }

    private static Task<IList<ContainerListResponse>> Containers(DockerClient docker, string appUuid) =>
        docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.supervisor.app-uuid={appUuid}"] = true } },
        });

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"Waited 2 minutes for {what}.");
    }
}
