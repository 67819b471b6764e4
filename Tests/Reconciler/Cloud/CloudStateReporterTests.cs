using System.Text.Json.Nodes;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Supervisor.Tests.Reconciler.Cloud;

/// <summary>
/// The real host in cloud mode with WireMock.Net as the cloud: the target comes from the poll, the
/// reconciler applies it on the real engine, and the current state goes out as diffs by PATCH.
/// </summary>
public sealed class CloudStateReporterTests : IAsyncLifetime
{
    private const string Uuid = "report-device";
    private const string Key = "report-device-key";
    private static readonly string[] Workflows = [.. ReconcileWorkflows.All];

    private readonly WireMockServer _cloud = WireMockServer.Start();
    private readonly TestImageFactory _images = new("report");
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-report-locks-").FullName;
    private readonly string _appUuid = Guid.NewGuid().ToString("N");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _cloud.Stop();
        _cloud.Dispose();
        await _images.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    private SupervisorHostFactory Host() => new(
        new Dictionary<string, string?>
        {
            ["Supervisor:Cloud:BaseUrl"] = _cloud.Url,
            ["Supervisor:Cloud:DeviceUuid"] = Uuid,
            ["Supervisor:Cloud:DeviceKey"] = Key,
            ["Supervisor:Cloud:PollInterval"] = "00:15:00",
            ["Supervisor:Cloud:MaxJitter"] = "00:00:00",
            ["Supervisor:Cloud:ErrorBackoff"] = "00:00:01",
            ["Supervisor:Cloud:ReportInterval"] = "00:00:01",
            ["Supervisor:Cloud:RequestTimeout"] = "00:00:20",
            ["Supervisor:LockRoot"] = _lockRoot,
        },
        SupervisorHostFactory.Shipped(Workflows));

    private async Task ServeTargetAsync()
    {
        var image = await _images.PublishAsync("main", "v1", withBusybox: true);
        var target = $$"""
            { "{{Uuid}}": { "name": "d", "config": {}, "apps": { "{{_appUuid}}": { "id": 9, "name": "fleet", "class": "fleet",
              "releases": { "c1": { "id": 2, "volumes": {}, "networks": {}, "services": { "main": { "id": 3, "image_id": 4,
                "image": "{{image.TagName}}@{{image.Digest}}", "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
                "composition": { "command": ["sleep", "600"], "init": true, "stop_grace_period": "1s" } } } } } } } } }
            """;
        _cloud.Given(Request.Create().WithPath($"/device/v3/{Uuid}/state").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "\"t1\"").WithHeader("Content-Type", "application/json").WithBody(target));
    }

    private List<ILogEntry> Reports() =>
        [.. _cloud.LogEntries.Where(e => e.RequestMessage.Method == "PATCH" && e.RequestMessage.Path == "/device/v3/state").OrderBy(e => e.RequestMessage.DateTime)];

    private static JsonObject Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();

    private JsonNode? Service(JsonObject body) =>
        body[Uuid]?["apps"]?[_appUuid]?["releases"]?["c1"]?["services"]?["main"];

    [Fact]
    public async Task The_applied_release_is_reported_as_diffs_with_the_device_key_no_more_often_than_the_interval()
    {
        _cloud.Given(Request.Create().WithPath("/device/v3/state").UsingPatch()).RespondWith(Response.Create().WithStatusCode(200));
        await ServeTargetAsync();
        await using var host = Host();
        _ = host.Services;

        var done = await Eventually.GetAsync(
            () => Task.FromResult(Reports()),
            r => r.Exists(e => Body(e)[Uuid]?["apps"]?[_appUuid]?["releases"]?["c1"]?["update_status"]?.GetValue<string>() == "done"
                && Service(Body(e))?["status"]?.GetValue<string>() == "Running"),
            TimeSpan.FromSeconds(90),
            "a report of the release done and running");

        Assert.All(done, e => Assert.Equal($"Bearer {Key}", e.RequestMessage.Headers!["Authorization"].Single()));

        // The first report is whole; the later ones carry only what changed.
        var first = Body(done[0])[Uuid]!.AsObject();
        Assert.Contains("supervisor_version", first.Select(p => p.Key));
        Assert.All(done.Skip(1), e => Assert.DoesNotContain("supervisor_version", Body(e)[Uuid]!.AsObject().Select(p => p.Key)));

        // At most one report per ReportInterval (1 s here; 10 s by default).
        var times = done.Select(e => e.RequestMessage.DateTime).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(900), $"reports {pair.First:O} and {pair.Second:O}"));

        // Nothing changes any more: nothing more is sent.
        var count = Reports().Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(count, Reports().Count);
    }

    [Fact]
    public async Task A_refused_report_is_sent_again_after_the_backoff_whole_until_the_cloud_accepts_one()
    {
        _cloud.Given(Request.Create().WithPath("/device/v3/state").UsingPatch()).InScenario("cloud").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("try later"));
        _cloud.Given(Request.Create().WithPath("/device/v3/state").UsingPatch()).InScenario("cloud").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200));
        await ServeTargetAsync();
        await using var host = Host();
        _ = host.Services;

        var reports = await Eventually.GetAsync(() => Task.FromResult(Reports()), r => r.Count >= 2, TimeSpan.FromSeconds(60), "a second report");

        // The refused report's content goes out again: the diff is against the last accepted report (none).
        Assert.Contains("supervisor_version", Body(reports[1])[Uuid]!.AsObject().Select(p => p.Key));
        var timeline = string.Join("; ", reports.Select(r => $"{r.RequestMessage.DateTime:HH:mm:ss.fff} {r.ResponseMessage.StatusCode}"));
        Assert.Equal(500, reports[0].ResponseMessage.StatusCode);
        Assert.True(reports[1].RequestMessage.DateTime - reports[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(900), timeline);
    }
}
