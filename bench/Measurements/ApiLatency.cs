using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// An inline API run of a five-activity no-op workflow (<c>Delay</c> of zero), end to end over
/// loopback against the real host process, next to <c>GET /ping</c> on the same host and
/// connection as the baseline. The two requests alternate, so that both see the same machine state.
/// </summary>
public static class ApiLatency
{
    private const string WorkflowId = "noop5";
    private const string ApiKey = "bench-api-key";

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 200);
        var warmup = Options.Number(args, "warmup", 50);
        // --root /dev/shm puts the host's databases on tmpfs: the difference is what the disk's flushes cost.
        var root = Options.Text(args, "root");
        using var directory = new BenchDirectory("api", root);
        Console.WriteLine($"Data folder: {directory.Data}");
        directory.WriteDefinition(WorkflowId, BenchDefinitions.Chain(WorkflowId, "Delay", 5, """{ "duration": "00:00:00" }"""));
        using var host = HostProcess.Start(directory, ApiKey);

        // One connection, kept alive: the figure is the request, not TCP set-up.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        if (!await WaitForHostAsync(client, host).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync($"The host did not answer /ping:{Environment.NewLine}{host.RecentOutput}").ConfigureAwait(false);
            return 1;
        }

        await CheckRunAsync(client).ConfigureAwait(false);

        var ping = new List<double>();
        var run = new List<double>();
        for (var i = 0; i < warmup + iterations; i++)
        {
            var pingTime = await TimeAsync(client, () => new HttpRequestMessage(HttpMethod.Get, "/ping")).ConfigureAwait(false);
            var runTime = await TimeAsync(client, RunRequest).ConfigureAwait(false);
            if (i >= warmup)
            {
                ping.Add(pingTime);
                run.Add(runTime);
            }
        }

        var pingStats = LatencyStats.Of(ping);
        var runStats = LatencyStats.Of(run);
        Console.WriteLine($"GET /ping (loopback baseline):    {pingStats}");
        Console.WriteLine($"POST 5-activity run, inline:      {runStats}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio of medians run/ping: {runStats.Median / pingStats.Median:0.0}; run minus ping (engine, journal, JSON): {runStats.Median - pingStats.Median:0.000} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Target: median < 10 ms -> {(runStats.Median < 10 ? "PASS" : "FAIL")}"));
        return 0;
    }

    private static HttpRequestMessage RunRequest() =>
        new(HttpMethod.Post, $"/v3/workflows/{WorkflowId}/runs?wait=30")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };

    // The whole exchange: send, status, and the body read to its end.
    private static async Task<double> TimeAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        using var message = request();
        var start = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(message).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var elapsed = Clock.MillisecondsSince(start);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{message.Method} {message.RequestUri} answered {(int)response.StatusCode}.");
        }

        return elapsed;
    }

    // A run that answered 200 but did not complete would make the figure meaningless.
    private static async Task CheckRunAsync(HttpClient client)
    {
        using var message = RunRequest();
        using var response = await client.SendAsync(message).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        var status = document.RootElement.TryGetProperty("status", out var s) ? s.ToString() : "(none)";
        if (response.StatusCode != HttpStatusCode.OK || status != "Completed")
        {
            throw new InvalidOperationException($"The check run answered {(int)response.StatusCode} with status {status}: {body}");
        }
    }

    private static async Task<bool> WaitForHostAsync(HttpClient client, HostProcess host)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !host.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/ping", UriKind.Relative)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        return false;
    }
}
