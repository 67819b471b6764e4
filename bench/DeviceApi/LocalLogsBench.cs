using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;

namespace Supervisor.Bench.DeviceApi;

/// <summary>
/// <c>GET /v2/local/logs</c> under load: a local-mode app of ten services (by default), each printing 100 numbered
/// lines a second for five minutes, read through the supervisor's stream and, in the same run, straight from the
/// engine's own log streams (Docker.DotNet, one follow per container) as the baseline. For each side: every line
/// received exactly once, and the delay from the engine's timestamp of a line to its arrival at the client. The
/// host's resident memory is sampled every 5 s while the lines flow.
/// </summary>
public static class LocalLogsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Options.Number(args, "seconds", 300);
        var serviceCount = Options.Number(args, "services", 10);
        var rate = Options.Number(args, "rate", 100);
        var lines = seconds * rate;
        using var device = await LocalDevice.StartAsync("logs", args).ConfigureAwait(false);
        var image = device.Environment.Fixture("app-v1");
        var ours = new LineTally(serviceCount, lines);
        var raw = new LineTally(serviceCount, lines);
        var memory = new List<(double Seconds, long Kib)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(device.Interrupted);
        try
        {
            // The supervisor's stream is open before the services exist, as balena push's is.
            using var response = await device.Http.GetAsync(new Uri("/v2/local/logs", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var reading = ReadSupervisorAsync(await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false), ours, stop.Token);
            await device.PostTargetAsync(Target(image, serviceCount, lines, rate)).ConfigureAwait(false);

            IList<ContainerListResponse> containers = [];
            await device.UntilAsync(async () => (containers = await device.ContainersAsync(device.InstanceLabel, all: false).ConfigureAwait(false)).Count == serviceCount,
                $"{serviceCount} services to run").ConfigureAwait(false);

            // Each service waits 3 s before it prints, so that both readers follow it from its first line.
            var followers = containers.Select(c => ReadEngineAsync(device.Docker, c.ID, raw, stop.Token)).ToList();
            var started = Stopwatch.GetTimestamp();
            var printing = TimeSpan.FromSeconds(seconds + 3);
            while (!ours.Complete || !raw.Complete)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed > printing + TimeSpan.FromSeconds(60))
                {
                    break;
                }

                memory.Add((elapsed.TotalSeconds, ResidentKib(device.Host.Id)));
                await Task.Delay(TimeSpan.FromSeconds(5), stop.Token).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await Ended(reading).ConfigureAwait(false);
            foreach (var follower in followers)
            {
                await Ended(follower).ConfigureAwait(false);
            }
        }
        finally
        {
            await device.StopAndRemoveAsync().ConfigureAwait(false);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{serviceCount} services × {rate} lines/s × {seconds} s = {serviceCount * lines} lines; printed at {raw.Rate:0.0} lines/s per service (engine timestamps, first to last)"));
        Console.WriteLine($"Engine's own streams (baseline): {raw}");
        Console.WriteLine($"GET /v2/local/logs:              {ours}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p99 ratio to the engine's own streams: {ours.Percentile(0.99) / Math.Max(1, raw.Percentile(0.99)):0.00}"));
        var rss = memory.Where(m => m.Seconds >= 30).ToList();
        var firstMinute = rss.Where(m => m.Seconds < 90).Select(m => m.Kib).DefaultIfEmpty().Max();
        var lastMinute = rss.Where(m => m.Seconds >= rss[^1].Seconds - 60).Select(m => m.Kib).DefaultIfEmpty().Max();
        Console.WriteLine("Host RSS (MiB) every 30 s: " + string.Join(", ", memory.Where((_, n) => n % 6 == 0).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Seconds:0}s {m.Kib / 1024.0:0.0}"))));
        var flat = lastMinute <= firstMinute * 1.10;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Host RSS peak from 30 s to 90 s: {firstMinute / 1024.0:0.0} MiB; in the last minute: {lastMinute / 1024.0:0.0} MiB -> flat (within 10%): {(flat ? "yes" : "NO")}"));
        var pass = ours.Missing == 0 && ours.Duplicates == 0 && ours.Percentile(0.99) < 250 && flat;
        Console.WriteLine($"Target: every line, p99 under 250 ms, memory flat -> {(pass ? "PASS" : "FAIL")}");
        return 0;
    }

    /// <summary>The v2 local document with <paramref name="count"/> services, each printing its numbered lines in a burst every tenth of a second.</summary>
    private static string Target(FixtureImage image, int count, int lines, int rate)
    {
        var services = new JsonObject();
        for (var n = 1; n <= count; n++)
        {
            // Paced by the shell's own clock (EPOCHREALTIME, in microseconds once its dot is dropped): a batch every
            // tenth of a second from the first, so that the time the loop itself takes does not lower the rate.
            var script = $"sleep 3; i=0; b=0; t0=${{EPOCHREALTIME/./}}; while [ $i -lt {lines} ]; do j=0; " +
                $"while [ $j -lt {rate / 10} ]; do i=$((i+1)); j=$((j+1)); echo \"s{n} $i\"; done; " +
                "b=$((b+1)); d=$((t0 + b*100000 - ${EPOCHREALTIME/./})); if [ $d -gt 0 ]; then sleep 0.$(printf %06d $d); fi; done; exec sleep 100000";
            services[n.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["serviceName"] = $"s{n}",
                ["serviceId"] = n,
                ["imageId"] = n,
                ["image"] = image.Reference,
                ["running"] = true,
                ["environment"] = new JsonObject(),
                ["labels"] = new JsonObject(),
                ["command"] = new JsonArray("sh", "-c", script),
            };
        }

        var app = new JsonObject
        {
            ["name"] = "LocalApp",
            ["commit"] = "deadbeef",
            ["releaseId"] = "1",
            ["services"] = services,
            ["volumes"] = new JsonObject(),
            ["networks"] = new JsonObject(),
        };
        return new JsonObject
        {
            ["local"] = new JsonObject { ["name"] = "bench", ["config"] = new JsonObject(), ["apps"] = new JsonObject { ["1"] = app } },
            ["dependent"] = new JsonObject(),
        }.ToJsonString();
    }

    private static async Task ReadSupervisorAsync(Stream body, LineTally tally, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            var arrived = DateTimeOffset.UtcNow;
            using var line = JsonDocument.Parse(text);
            if (line.RootElement.GetProperty("isSystem").GetBoolean())
            {
                continue;
            }

            var at = DateTimeOffset.FromUnixTimeMilliseconds(line.RootElement.GetProperty("timestamp").GetInt64());
            tally.Add(line.RootElement.GetProperty("message").GetString()!, at, arrived);
        }
    }

    /// <summary>One container's output straight from the engine, with its timestamps, as a plain program reads it.</summary>
    private static async Task ReadEngineAsync(DockerClient docker, string id, LineTally tally, CancellationToken cancellationToken)
    {
        using var stream = await docker.Containers.GetContainerLogsAsync(id,
            new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true, Timestamps = true }, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                return;
            }

            var arrived = DateTimeOffset.UtcNow;
            pending.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var text = pending.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                continue;
            }

            pending.Clear().Append(text, end + 1, text.Length - end - 1);
            foreach (var line in text[..end].Split('\n'))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                tally.Add(line[(space + 1)..], DateTimeOffset.Parse(line[..space], CultureInfo.InvariantCulture), arrived);
            }
        }
    }

    private static async Task Ended(Task reading)
    {
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The bench ended the stream.
        }
    }

    private static long ResidentKib(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
