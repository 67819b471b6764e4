using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api.Logs;

/// <summary><c>/v2/journal-logs</c> through the real host, reconciler and engine: balena's options over services' own output.</summary>
public sealed class JournalLogsTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("journallogs");
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-journal-locks-").FullName;
    private readonly string _appUuid = "jrnl" + Guid.NewGuid().ToString("N")[..16];
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped([.. ReconcileWorkflows.All]));
        _client = _host.CreateAuthorizedClient();
        _client.Timeout = Timeout.InfiniteTimeSpan;

        // Two services that print 20 numbered lines and stay up, and one that goes on printing.
        var image = await _images.PublishAsync("printer", "v1", withBusybox: true);
        string Finite(string name) => $"i=0; while [ $i -lt 20 ]; do echo {name}-$i; i=$((i+1)); done; sleep 600";
        var target = Target(image, ("a", Finite("a")), ("b", Finite("b")), ("c", "i=0; while true; do echo c-$i; i=$((i+1)); sleep 0.05; done"));
        using var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        await Eventually.GetAsync(() => LinesAsync("/v2/journal-logs?format=cat&unit=a"), l => l.Count == 20, TimeSpan.FromSeconds(120), "service a's 20 lines");
        await Eventually.GetAsync(() => LinesAsync("/v2/journal-logs?format=cat&unit=b"), l => l.Count == 20, TimeSpan.FromSeconds(30), "service b's 20 lines");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Fact]
    public async Task Count_unit_and_containerId_choose_the_lines_and_cat_gives_the_messages_alone()
    {
        Assert.Equal(Enumerable.Range(15, 5).Select(i => $"a-{i}"), await LinesAsync("/v2/journal-logs?count=5&format=cat&unit=a"));

        var both = await LinesAsync("/v2/journal-logs?format=cat&until=now");
        Assert.Equal(20, both.Count(l => l.StartsWith("a-", StringComparison.Ordinal)));
        Assert.Equal(20, both.Count(l => l.StartsWith("b-", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"b-{i}"), both.Where(l => l.StartsWith("b-", StringComparison.Ordinal)));

        var json = (await LinesAsync("/v2/journal-logs?format=json&unit=a&count=1")).Single();
        var id = JsonDocument.Parse(json).RootElement.GetProperty("CONTAINER_ID_FULL").GetString()!;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"a-{i}"), await LinesAsync($"/v2/journal-logs?format=cat&containerId={id[..8]}"));
        Assert.Empty(await LinesAsync("/v2/journal-logs?format=cat&unit=nosuchservice"));
        Assert.Empty(await LinesAsync("/v2/journal-logs?format=cat&unit=a&until=@1000000000"));
    }

    [Fact]
    public async Task Balenas_POST_body_and_the_short_and_json_formats_read_as_journalctl_writes_them()
    {
        using var posted = await _client.PostAsJsonAsync(new Uri("/v2/journal-logs", UriKind.Relative), new { count = 3, unit = "b", format = "short", all = true });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var lines = (await posted.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \S+ b\[[0-9a-f]{12}\]: b-1[789]$", l));

        var iso = (await LinesAsync("/v2/journal-logs?count=1&unit=a&format=short-iso")).Single();
        Assert.Matches(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} \S+ a\[[0-9a-f]{12}\]: a-19$", iso);

        var json = JsonDocument.Parse((await LinesAsync("/v2/journal-logs?count=1&unit=a&format=json")).Single()).RootElement;
        Assert.Equal("a-19", json.GetProperty("MESSAGE").GetString());
        Assert.Equal("6", json.GetProperty("PRIORITY").GetString());
        Assert.Equal("a", json.GetProperty("SYSLOG_IDENTIFIER").GetString());
        Assert.Equal(json.GetProperty("CONTAINER_ID_FULL").GetString()![..12], json.GetProperty("CONTAINER_ID").GetString());
        var at = DateTimeOffset.UnixEpoch.AddTicks(long.Parse(json.GetProperty("__REALTIME_TIMESTAMP").GetString()!, System.Globalization.CultureInfo.InvariantCulture) * 10);
        Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Follow_gives_the_last_ten_lines_then_every_new_one_until_the_client_leaves()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/journal-logs") { Content = JsonContent.Create(new { follow = true, unit = "c", format = "cat" }) };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var numbers = new List<int>();
        while (numbers.Count < 40)
        {
            var line = (await reader.ReadLineAsync(timeout.Token))!;
            numbers.Add(int.Parse(line["c-".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        // Ten from before the request, then on without a gap or a repeat across the switch from history to following.
        Assert.Equal(Enumerable.Range(numbers[0], 40), numbers);
    }

    [Fact]
    public async Task Every_wrong_option_is_named_in_one_400_and_nothing_is_streamed()
    {
        using var response = await _client.GetAsync(new Uri("/v2/journal-logs?format=verbose&count=0&since=soonish&colour=1&follow=maybe", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        Assert.Contains("format 'verbose' is not one this supervisor writes; use one of short, short-precise, short-iso", message, StringComparison.Ordinal);
        Assert.Contains("count '0' is not a positive whole number", message, StringComparison.Ordinal);
        Assert.Contains("since 'soonish' is not a time", message, StringComparison.Ordinal);
        Assert.Contains("'colour' is not an option of journal-logs", message, StringComparison.Ordinal);
        Assert.Contains("follow 'maybe' is not true or false", message, StringComparison.Ordinal);

        using var body = await _client.PostAsync(new Uri("/v2/journal-logs", UriKind.Relative), new StringContent("""{"unit":["a"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, body.StatusCode);
        Assert.Contains("unit must be a string, a number or true/false", await body.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<string>> LinesAsync(string path)
    {
        var text = await _client.GetStringAsync(new Uri(path, UriKind.Relative));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private string Target(TestImage image, params (string Name, string Script)[] services)
    {
        var entries = string.Join(",", services.Select((s, i) => $$"""
            "{{s.Name}}": { "id": {{i + 1}}, "image_id": {{i + 1}}, "image": "{{image.TagName}}@{{image.Digest}}",
              "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
              "composition": { "command": ["sh", "-c", "{{s.Script}}"], "tty": false, "init": true, "stop_grace_period": "1s" } }
            """));
        return $$"""
            { "device-1": { "name": "journal-test", "config": {}, "apps": { "{{_appUuid}}": { "id": 78, "name": "printers", "class": "fleet",
              "releases": { "c1": { "id": 1, "services": { {{entries}} }, "volumes": {}, "networks": {} } } } } } }
            """;
    }
}
