using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>Local mode's target source, through the real host and its SQLite store.</summary>
public sealed class LocalTargetStateTests
{
    private const string Release1 = """
        { "device-1": { "name": "bench-device", "config": { "SUPERVISOR_OVERRIDE_LOCK": "false" },
            "apps": { "app-1": { "id": 11, "name": "fleet", "class": "fleet",
              "releases": { "commit-1": { "id": 22,
                "services": { "main": { "id": 33, "image_id": 44, "image": "registry.local/fleet/main:v1", "environment": {}, "labels": {} } },
                "volumes": {}, "networks": {} } } } } } }
        """;

    private static readonly Dictionary<string, string?> LocalMode = new() { ["Supervisor:LocalMode"] = "true" };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_valid_target_is_accepted_stored_and_served_back_verbatim_across_restarts()
    {
        await using var host = new SupervisorHostFactory(LocalMode);
        using var client = host.CreateAuthorizedClient();

        var empty = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("stateV3").ValueKind);

        using var posted = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(Release1));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var answer = await posted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("success", "OK"), (answer.GetProperty("status").GetString(), answer.GetProperty("message").GetString()));

        var stored = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        Assert.Equal("local", stored.GetProperty("source").GetString());
        Assert.Equal(JsonDocument.Parse(Release1).RootElement.GetRawText(), JsonDocument.Parse(stored.GetProperty("stateV3").GetRawText()).RootElement.GetRawText());

        // A new host on the same data directory still knows the target.
        await using var restarted = new SupervisorHostFactory(new Dictionary<string, string?>(LocalMode) { ["Supervisor:DataDir"] = host.DataDir });
        using var again = restarted.CreateAuthorizedClient();
        var after = await again.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        Assert.Equal("fleet", after.GetProperty("stateV3").GetProperty("device-1").GetProperty("apps").GetProperty("app-1").GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_invalid_target_is_refused_whole_with_every_error_and_the_accepted_one_stays()
    {
        await using var host = new SupervisorHostFactory(LocalMode);
        using var client = host.CreateAuthorizedClient();
        using (var first = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(Release1)))
        {
            first.EnsureSuccessStatusCode();
        }

        var broken = Release1
            .Replace("registry.local/fleet/main:v1", "Registry.Local/Fleet/Main:v1", StringComparison.Ordinal)
            .Replace("\"class\": \"fleet\"", "\"class\": \"fleets\"", StringComparison.Ordinal);
        using var refused = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(broken));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("failed", body.GetProperty("status").GetString());
        var paths = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("$.device-1.apps.app-1.class", paths);
        Assert.Contains("$.device-1.apps.app-1.releases.commit-1.services.main.image", paths);
        Assert.StartsWith("Invalid target state (2 errors)", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        var stored = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        Assert.Equal("registry.local/fleet/main:v1", stored.GetProperty("stateV3").GetProperty("device-1").GetProperty("apps").GetProperty("app-1")
            .GetProperty("releases").GetProperty("commit-1").GetProperty("services").GetProperty("main").GetProperty("image").GetString());
    }

    [Fact]
    public async Task Before_any_target_the_answer_has_balenas_shape_with_no_apps()
    {
        await using var host = new SupervisorHostFactory(LocalMode);
        using var client = host.CreateAuthorizedClient();

        var empty = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");

        Assert.Equal("""{"name":"","config":{},"apps":{}}""", empty.GetProperty("state").GetProperty("local").GetRawText());
    }

    [Fact]
    public async Task A_v2_document_is_converted_stored_and_served_in_balenas_shape_under_one_device_uuid()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>(LocalMode) { ["Supervisor:Reconciler:Enabled"] = "false" });
        using var client = host.CreateAuthorizedClient();
        const string V2 = """{ "local": { "name": "d", "config": {}, "apps": { "1": { "name": "a", "commit": "c", "releaseId": "2", "services": { "3": { "serviceName": "main", "serviceId": 3, "imageId": 4, "image": "local_main", "ports": ["80"] } } } } } }""";

        using (var posted = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(V2)))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var stored = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        var main = stored.GetProperty("state").GetProperty("local").GetProperty("apps").GetProperty("1").GetProperty("services").GetProperty("3");
        Assert.Equal(("main", "local_main", "[\"80\"]"), (main.GetProperty("serviceName").GetString(), main.GetProperty("image").GetString(), main.GetProperty("ports").GetRawText()));
        var device = stored.GetProperty("stateV3").EnumerateObject().Single();
        Assert.Matches("^[0-9a-f]{32}$", device.Name);
        Assert.Equal(2, device.Value.GetProperty("apps").GetProperty("1").GetProperty("releases").GetProperty("c").GetProperty("id").GetInt64());

        // The next push keeps the device's uuid, so BALENA_DEVICE_UUID does not change under the app.
        using (var again = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(V2.Replace("\"d\"", "\"e\"", StringComparison.Ordinal))))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var after = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        Assert.Equal(device.Name, after.GetProperty("stateV3").EnumerateObject().Single().Name);
        Assert.Equal("e", after.GetProperty("state").GetProperty("local").GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_invalid_v2_document_is_refused_at_its_own_paths()
    {
        await using var host = new SupervisorHostFactory(LocalMode);
        using var client = host.CreateAuthorizedClient();
        const string V2 = """{ "local": { "name": "d", "config": {}, "apps": { "1": { "name": "a", "commit": "c", "releaseId": 2, "services": { "3": { "serviceName": "main", "image": "a:b", "restart": "sometimes" } } } } } }""";

        using var refused = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(V2));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("$.local.apps.1.services.3.restart", body.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state")).GetProperty("stateV3").ValueKind);
    }

    [Theory]
    [InlineData(false, HttpStatusCode.Unauthorized)]
    [InlineData(true, HttpStatusCode.OK)]
    public async Task Local_mode_keeps_asking_for_the_key_unless_configured_to_open_the_api(bool open, HttpStatusCode expected)
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>(LocalMode)
        {
            ["Supervisor:LocalModeWithoutApiKey"] = open ? "true" : "false",
            ["Supervisor:Reconciler:Enabled"] = "false",
        });
        using var anonymous = host.CreateClient();

        using var answer = await anonymous.GetAsync(new Uri("/v2/local/target-state", UriKind.Relative));

        Assert.Equal(expected, answer.StatusCode);
    }

    [Fact]
    public async Task Opening_the_api_without_the_key_has_no_effect_outside_local_mode()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:LocalModeWithoutApiKey"] = "true" });
        using var anonymous = host.CreateClient();

        using var answer = await anonymous.GetAsync(new Uri("/v2/local/target-state", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task Setting_a_target_outside_local_mode_is_refused_and_the_key_is_required()
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateAuthorizedClient();

        using var refused = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(Release1));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Supervisor:LocalMode", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);

        using var anonymous = host.CreateClient();
        using var unauthorized = await anonymous.GetAsync(new Uri("/v2/local/target-state", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }
}
