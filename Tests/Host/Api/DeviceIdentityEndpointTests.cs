using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Features;
using Supervisor.Activities.Services;
using Supervisor.Host.Security;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// The device endpoints balena's tools use: device info, name, blink, and regenerating a key (the device's or a
/// service's), each against the real host with no engine needed.
/// </summary>
public sealed class DeviceIdentityEndpointTests
{
    private static readonly Dictionary<string, string?> LocalMode = new() { ["Supervisor:LocalMode"] = "true", ["Supervisor:Reconciler:Enabled"] = "false" };

    [Fact]
    public async Task Device_info_gives_balenas_architecture_and_the_configured_device_type()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:DeviceType"] = "raspberrypi4-64" });
        using var client = host.CreateAuthorizedClient();

        var info = await client.GetFromJsonAsync<JsonElement>("/v2/local/device-info");

        Assert.Equal("success", info.GetProperty("status").GetString());
        Assert.Equal(DeviceArchitecture.Current, info.GetProperty("info").GetProperty("arch").GetString());
        Assert.Equal("raspberrypi4-64", info.GetProperty("info").GetProperty("deviceType").GetString());
    }

    [Fact]
    public async Task The_device_name_is_the_targets_and_null_before_any_target()
    {
        await using var host = new SupervisorHostFactory(LocalMode);
        using var client = host.CreateAuthorizedClient();

        var before = await client.GetFromJsonAsync<JsonElement>("/v2/device/name");
        using var posted = await client.PostAsync(
            new Uri("/v2/local/target-state", UriKind.Relative),
            new StringContent("""{ "dev1": { "name": "kitchen-sensor", "config": {}, "apps": {} } }""", Encoding.UTF8, "application/json"));
        posted.EnsureSuccessStatusCode();
        var after = await client.GetFromJsonAsync<JsonElement>("/v2/device/name");

        Assert.Equal(JsonValueKind.Null, before.GetProperty("deviceName").ValueKind);
        Assert.Equal("kitchen-sensor", after.GetProperty("deviceName").GetString());
    }

    [Fact]
    public async Task Blink_is_logged_and_answered_ok()
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateAuthorizedClient();

        using var response = await client.PostAsync(new Uri("/v1/blink", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        Assert.True(host.Logs.Contains("Blink requested"));
    }

    [Fact]
    public async Task Regenerating_the_generated_device_key_stops_the_old_one_at_once_and_keeps_the_new_one()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:ApiKey"] = "" });
        var old = host.Services.GetRequiredService<ApiKeyStore>().Key;
        using var client = Client(host, old);

        using var response = await client.PostAsync(new Uri("/v1/regenerate-api-key", UriKind.Relative), null);
        var renewed = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", renewed);
        Assert.NotEqual(old, renewed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/v2/device/name", UriKind.Relative))).StatusCode);
        using var withNew = Client(host, renewed);
        Assert.Equal(HttpStatusCode.OK, (await withNew.GetAsync(new Uri("/v2/device/name", UriKind.Relative))).StatusCode);
        Assert.Equal(renewed, (await File.ReadAllTextAsync(Path.Combine(host.DataDir, "api-key"))).Trim());
    }

    [Fact]
    public async Task A_configured_device_key_is_not_regenerated_and_the_answer_says_where_to_change_it()
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateAuthorizedClient();

        using var response = await client.PostAsync(new Uri("/v1/regenerate-api-key", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Supervisor:ApiKey", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(host.Services.GetRequiredService<ApiKeyStore>().IsValid(SupervisorHostFactory.ApiKey));
    }

    [Fact]
    public async Task Regenerating_a_services_key_gives_that_service_a_new_one_and_the_old_one_stops()
    {
        await using var host = new SupervisorHostFactory();
        var keys = host.Services.GetRequiredService<ServiceApiKeyStore>();
        var old = await keys.GetOrCreateAsync("app-a", 7, "web");
        using var client = Client(host, old);

        using var response = await client.PostAsync(new Uri("/v1/regenerate-api-key", UriKind.Relative), null);
        var renewed = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(old, renewed);
        Assert.Null(await keys.FindAsync(old));
        Assert.Equal(new ServiceApiKey("app-a", 7, "web"), await keys.FindAsync(renewed));
        Assert.Equal(renewed, await keys.GetOrCreateAsync("app-a", 7, "web"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/v2/device/name", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task With_the_api_open_in_local_mode_a_regeneration_needs_the_key_to_replace()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>(LocalMode) { ["Supervisor:LocalModeWithoutApiKey"] = "true" });
        using var client = host.CreateClient();

        using var response = await client.PostAsync(new Uri("/v1/regenerate-api-key", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static HttpClient Client(SupervisorHostFactory host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
