using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Current;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// The answers that need no containers: the engine unreachable (503), host-OS actions (501), no
/// key (401), bad requests (400), unknown apps (404) and <c>POST /v1/update</c> (204/202). The host
/// points at a socket where no engine listens.
/// </summary>
public sealed class ActionEndpointAnswerTests : IAsyncLifetime
{
    private const long AppId = 4242;

    private static readonly string[] Shipped = ["stop-service", "start-service", "restart-service", "restart-app", "stop-app", "start-app"];

    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var dead = Path.Combine(Path.GetTempPath(), $"supervisor-dead-{Guid.NewGuid():N}.sock");
        _host = new SupervisorHostFactory(
            // The tests read the reconcile trigger in the loop's place, so the loop stays off.
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:DockerHost"] = $"unix://{dead}", ["Supervisor:Reconciler:Enabled"] = "false" },
            SupervisorHostFactory.Shipped(Shipped));
        _client = _host.CreateAuthorizedClient();
        var target = $$"""
            { "dev{{Guid.NewGuid():N}}": { "name": "d", "config": {}, "apps": {
                "app{{Guid.NewGuid():N}}": { "id": {{AppId}}, "name": "app", "releases": { "{{Guid.NewGuid():N}}": {
                    "id": 1, "services": { "main": { "id": 1, "image_id": 10, "image": "registry.local/app:v1" } }, "volumes": {}, "networks": {} } } }
            } } }
            """;
        using var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json"));
        posted.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body = null, HttpClient? client = null)
    {
        using var response = await (client ?? _client).PostAsync(new Uri(path, UriKind.Relative), JsonContent.Create(body ?? new { }));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    [Theory]
    [InlineData("/v2/applications/4242/restart-service", "{\"serviceName\":\"main\"}")]
    [InlineData("/v2/applications/4242/stop-service", "{\"serviceName\":\"main\"}")]
    [InlineData("/v2/applications/4242/start-service", "{\"serviceName\":\"main\"}")]
    [InlineData("/v2/applications/4242/restart", "{}")]
    [InlineData("/v1/restart", "{\"appId\":4242}")]
    [InlineData("/v1/apps/4242/stop", "{}")]
    [InlineData("/v1/apps/4242/start", "{}")]
    public async Task With_the_engine_unreachable_an_action_answers_503_saying_so(string path, string body)
    {
        var (status, answer) = await PostAsync(path, JsonSerializer.Deserialize<JsonElement>(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failed", answer.GetProperty("status").GetString());
        Assert.Contains("Cannot reach the Docker engine", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredService<ApiStoppedServices>().Snapshot());
        using var healthy = await _host.CreateClient().GetAsync(new Uri("/v1/healthy", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, healthy.StatusCode);
    }

    [Fact]
    public async Task An_action_whose_workflow_is_not_loaded_answers_503_naming_it()
    {
        var (status, answer) = await PostAsync($"/v2/applications/{AppId}/purge");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("\"purge-app\"", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/reboot")]
    [InlineData("POST", "/v1/shutdown")]
    [InlineData("GET", "/v1/device/host-config")]
    [InlineData("PATCH", "/v1/device/host-config")]
    [InlineData("GET", "/v2/device/vpn")]
    public async Task Host_OS_actions_answer_501_out_of_scope_and_401_without_the_key(string method, string path)
    {
        using (var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { force = true }) }))
        {
            Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("failed", body.GetProperty("status").GetString());
            Assert.Contains("out of scope", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var anonymous = _host.CreateClient();
        using var unauthorised = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
    }

    [Theory]
    [InlineData("/v1/restart")]
    [InlineData("/v1/purge")]
    [InlineData("/v1/update")]
    [InlineData("/v1/apps/4242/stop")]
    [InlineData("/v1/apps/4242/start")]
    [InlineData("/v2/applications/4242/restart-service")]
    [InlineData("/v2/applications/4242/stop-service")]
    [InlineData("/v2/applications/4242/start-service")]
    [InlineData("/v2/applications/4242/restart")]
    [InlineData("/v2/applications/4242/purge")]
    public async Task Every_action_answers_401_without_the_key_or_with_a_wrong_one(string path)
    {
        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(path, new { appId = AppId, serviceName = "main" }, anonymous)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(path + "?apikey=wrong", new { appId = AppId, serviceName = "main" }, anonymous)).Status);
    }

    [Theory]
    [InlineData("/v1/restart", "{}", "Missing app id")]
    [InlineData("/v1/restart", "{\"appId\":\"abc\"}", "appId must be a whole number")]
    [InlineData("/v1/purge", "{}", "Invalid or missing appId")]
    [InlineData("/v1/purge", "{\"appId\":true}", "appId must be a whole number")]
    [InlineData("/v2/applications/abc/restart", "{}", "Invalid app id")]
    [InlineData("/v2/applications/4242/restart-service", "{\"serviceName\":5}", "serviceName must be a string")]
    [InlineData("/v2/applications/4242/restart-service", "{\"imageId\":\"ten\"}", "imageId must be a whole number")]
    [InlineData("/v2/applications/4242/stop-service", "[1]", "must be a JSON object")]
    public async Task A_bad_request_answers_400_naming_what_was_wrong(string path, string body, string message)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/restart", "{\"appId\":1}")]
    [InlineData("/v1/purge", "{\"appId\":\"1\"}")]
    [InlineData("/v2/applications/1/restart", "{}")]
    [InlineData("/v2/applications/1/purge", "{}")]
    public async Task An_app_not_in_the_target_answers_404(string path, string body)
    {
        var (status, answer) = await PostAsync(path, JsonSerializer.Deserialize<JsonElement>(body));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("App 1 is not in the target state", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_asks_the_reconciler_for_a_pass_and_answers_204_and_force_sets_a_one_shot_override()
    {
        var trigger = _host.Services.GetRequiredService<ApplyTrigger>();
        var forced = _host.Services.GetRequiredService<ForcedApply>();

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("/v1/update")).Status);
        Assert.Equal("POST /v1/update", await trigger.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None));
        Assert.False(forced.TryTake());

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("/v1/update", new { force = "1" })).Status);
        Assert.Equal("POST /v1/update (forced)", await trigger.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None));
        Assert.True(forced.TryTake());
        Assert.False(forced.TryTake());
    }

    [Fact]
    public async Task Update_answers_202_and_asks_nothing_when_updates_are_not_instant_unless_forced()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:InstantUpdates"] = "false", ["Supervisor:Reconciler:Enabled"] = "false" });
        using var client = host.CreateAuthorizedClient();
        var trigger = host.Services.GetRequiredService<ApplyTrigger>();

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("/v1/update", null, client)).Status);
        Assert.Null(await trigger.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("/v1/update", new { force = true }, client)).Status);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None));
    }
}
