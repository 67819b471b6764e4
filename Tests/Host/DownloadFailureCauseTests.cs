using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Supervisor.Tests.Host;

/// <summary>
/// A download from a registry nobody listens on, through the real host, loop and engine, with WireMock.Net as the
/// cloud: every place that says the update failed also says why, per app, not only <c>/v3/runs</c>.
/// </summary>
public sealed class DownloadFailureCauseTests : IAsyncLifetime
{
    private const string Uuid = "cause-device";
    private const string Cause = "connection refused";

    private readonly WireMockServer _cloud = WireMockServer.Start();
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-cause-locks-").FullName;
    private readonly string _appUuid = Guid.NewGuid().ToString("N");
    private readonly string _commit = Guid.NewGuid().ToString("N");

    // A loopback port nothing listens on: the engine's pull is refused at once, as from a stopped registry.
    private readonly string _image = $"127.0.0.1:{FreeLoopbackPort.Find()}/cause/main:v1@sha256:{new string('a', 64)}";
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        var target = $$"""
            { "{{Uuid}}": { "name": "d", "config": {}, "apps": { "{{_appUuid}}": { "id": 5, "name": "fleet", "class": "fleet",
              "releases": { "{{_commit}}": { "id": 50, "services": { "main": { "id": 51, "image_id": 510, "image": "{{_image}}" } } } } } } } }
            """;
        _cloud.Given(Request.Create().WithPath($"/device/v3/{Uuid}/state").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "\"t1\"").WithHeader("Content-Type", "application/json").WithBody(target));
        _cloud.Given(Request.Create().WithPath("/device/v3/state").UsingPatch()).RespondWith(Response.Create().WithStatusCode(200));
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?>
            {
                ["Supervisor:Cloud:BaseUrl"] = _cloud.Url,
                ["Supervisor:Cloud:DeviceUuid"] = Uuid,
                ["Supervisor:Cloud:DeviceKey"] = "cause-device-key",
                ["Supervisor:Cloud:PollInterval"] = "00:15:00",
                ["Supervisor:Cloud:MaxJitter"] = "00:00:00",
                ["Supervisor:Cloud:ReportInterval"] = "00:00:01",
                ["Supervisor:LockRoot"] = _lockRoot,
            },
            SupervisorHostFactory.Shipped([.. ReconcileWorkflows.All]));
        _client = _host.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _cloud.Stop();
        _cloud.Dispose();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Fact]
    public async Task A_refused_download_shows_its_cause_in_the_state_endpoints_and_the_cloud_report()
    {
        var status = await Eventually.GetAsync(
            () => _client.GetFromJsonAsync<JsonElement>("/v2/state/status"),
            s => s.GetProperty("updateError").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(60),
            "an update error in /v2/state/status");
        var error = status.GetProperty("updateError").GetString()!;
        Assert.Contains(Cause, error, StringComparison.Ordinal);
        Assert.Contains(_image.Split('@')[0], error, StringComparison.Ordinal);

        // The cause stays while the app is aborted, through the retries the fetch backoff holds back.
        var apps = await Eventually.GetAsync(
            () => _client.GetFromJsonAsync<JsonElement>("/v2/applications/state"),
            a => a.GetProperty("fleet").GetProperty("updateStatus").GetString() == "aborted",
            TimeSpan.FromSeconds(60),
            "the app aborted");
        Assert.Contains(Cause, apps.GetProperty("fleet").GetProperty("updateError").GetString(), StringComparison.Ordinal);

        var device = await Eventually.GetAsync(
            () => _client.GetFromJsonAsync<JsonElement>("/v1/device"),
            d => d.GetProperty("update_failed").GetBoolean(),
            TimeSpan.FromSeconds(60),
            "update_failed in /v1/device");
        Assert.Contains(Cause, device.GetProperty("update_error").GetString(), StringComparison.Ordinal);

        var reported = await Eventually.GetAsync(
            () => Task.FromResult(ReportedErrors()),
            errors => errors.Count > 0,
            TimeSpan.FromSeconds(60),
            "a cloud report with the app's update error");
        Assert.All(reported, e => Assert.Contains(Cause, e, StringComparison.Ordinal));
    }

    /// <summary>The <c>update_error</c> of the app's release in every report the cloud received.</summary>
    private List<string> ReportedErrors() =>
    [
        .. _cloud.LogEntries
            .Where(e => e.RequestMessage.Method == "PATCH" && e.RequestMessage.Path == "/device/v3/state")
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)?[Uuid]?["apps"]?[_appUuid]?["releases"]?[_commit]?["update_error"])
            .OfType<JsonNode>()
            .Select(n => n.GetValue<string>()),
    ];
}
