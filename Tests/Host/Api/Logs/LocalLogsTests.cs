using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api.Logs;

/// <summary><c>GET /v2/local/logs</c> through the real host, reconciler and engine: services that print.</summary>
public sealed class LocalLogsTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("locallogs");
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-logs-locks-").FullName;
    private readonly string _appUuid = "logs" + Guid.NewGuid().ToString("N")[..16];
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped([.. ReconcileWorkflows.All]));
        _client = _host.CreateAuthorizedClient();
        _client.Timeout = Timeout.InfiniteTimeSpan;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Fact]
    public async Task The_stream_opens_with_balenas_line_and_gives_the_lines_of_services_started_after_it_with_their_stream()
    {
        var image = await _images.PublishAsync("printer", "v1", withBusybox: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var response = await _client.GetAsync(new Uri("/v2/local/logs", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = JsonDocument.Parse((await reader.ReadLineAsync(timeout.Token))!).RootElement;
        Assert.Equal("""{"message":"Streaming logs","isSystem":true}""", first.GetRawText());

        // Posted after the stream opened: the stream picks the new containers up as they start.
        await PostAsync(Target(image, "0.2", ("out", "echo out-$i"), ("err", "echo err-$i >&2")));
        var seen = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (!(seen.ContainsKey("out") && seen.ContainsKey("err")))
        {
            var line = JsonDocument.Parse((await reader.ReadLineAsync(timeout.Token))!).RootElement.Clone();
            seen[line.GetProperty("serviceName").GetString()!] = line;
        }

        var @out = seen["out"];
        Assert.StartsWith("out-", @out.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, @out.GetProperty("serviceId").GetInt64());
        Assert.False(@out.GetProperty("isStdErr").GetBoolean());
        Assert.False(@out.GetProperty("isSystem").GetBoolean());
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(@out.GetProperty("timestamp").GetInt64()), DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.True(seen["err"].GetProperty("isStdErr").GetBoolean());
        Assert.StartsWith("err-", seen["err"].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_keep_their_order_and_none_is_lost_or_repeated()
    {
        var image = await _images.PublishAsync("counter", "v1", withBusybox: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var reader = await OpenAsync(timeout.Token);

        // Bursts of lines written together, which the engine stamps within microseconds of each other.
        await PostAsync(Target(image, "0.01", ("burst", "echo n-$i; i=$((i+1)); echo n-$i")));
        var numbers = new List<int>();
        while (numbers.Count < 300)
        {
            var message = JsonDocument.Parse((await reader.ReadLineAsync(timeout.Token))!).RootElement.GetProperty("message").GetString()!;
            numbers.Add(int.Parse(message["n-".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(Enumerable.Range(numbers[0], 300), numbers);
    }

    [Fact]
    public async Task A_service_with_a_terminal_as_balena_gives_by_default_is_followed_too()
    {
        var image = await _images.PublishAsync("tty", "v1", withBusybox: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var reader = await OpenAsync(timeout.Token);

        await PostAsync(Target(image, "0.2", ("term", "echo term-$i")).Replace("\"tty\": false", "\"tty\": true", StringComparison.Ordinal));
        var line = JsonDocument.Parse((await reader.ReadLineAsync(timeout.Token))!).RootElement;

        Assert.Equal("term", line.GetProperty("serviceName").GetString());
        Assert.Matches("^term-[0-9]+$", line.GetProperty("message").GetString());
    }

    /// <summary>Opens the stream and reads past its first line.</summary>
    private async Task<StreamReader> OpenAsync(CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(new Uri("/v2/local/logs", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        await reader.ReadLineAsync(cancellationToken);
        return reader;
    }

    private async Task PostAsync(string target)
    {
        using var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
    }

    /// <summary>One app whose services each print a numbered line in a loop (with a tty off, so stderr stays apart).</summary>
    private string Target(TestImage image, string sleep, params (string Name, string Print)[] services)
    {
        var entries = string.Join(",", services.Select((s, i) => $$"""
            "{{s.Name}}": { "id": {{i + 1}}, "image_id": {{i + 1}}, "image": "{{image.TagName}}@{{image.Digest}}",
              "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
              "composition": { "command": ["sh", "-c", "i=0; while true; do {{s.Print}}; i=$((i+1)); sleep {{sleep}}; done"], "tty": false, "init": true, "stop_grace_period": "1s" } }
            """));
        return $$"""
            { "device-1": { "name": "logs-test", "config": {}, "apps": { "{{_appUuid}}": { "id": 77, "name": "printers", "class": "fleet",
              "releases": { "c1": { "id": 1, "services": { {{entries}} }, "volumes": {}, "networks": {} } } } } } }
            """;
    }
}
