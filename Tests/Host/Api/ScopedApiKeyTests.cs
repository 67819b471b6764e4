using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Features;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// balena's scoped keys: the key a service was given (io.balena.features.supervisor-api) acts on its own app and
/// on the device, answers 403 for another app and for what spans every app, and the device key keeps acting on all.
/// </summary>
public sealed class ScopedApiKeyTests : IAsyncLifetime
{
    private ActionDevice _device = null!;
    private HttpClient _service = null!;

    public async Task InitializeAsync()
    {
        _device = await ActionDevice.StartAsync("scoped-keys", ["main"], ["main"]);
        var key = await _device.Host.Services.GetRequiredService<ServiceApiKeyStore>().GetOrCreateAsync(_device.AppUuid, _device.AppId, "main");
        _service = _device.Host.CreateClient();
        _service.Timeout = TimeSpan.FromMinutes(5);
        _service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public async Task DisposeAsync()
    {
        _service.Dispose();
        await _device.DisposeAsync();
    }

    [Fact]
    public async Task A_services_key_restarts_a_service_of_its_own_app()
    {
        using var response = await _service.PostAsJsonAsync($"/v2/applications/{_device.AppId}/restart-service", new { serviceName = "main" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v2/applications/{other}/restart-service", "{\"serviceName\":\"a\"}")]
    [InlineData("/v2/applications/{other}/restart", "{}")]
    [InlineData("/v2/applications/{other}/purge", "{}")]
    [InlineData("/v1/restart", "{\"appId\":{other}}")]
    [InlineData("/v1/apps/{other}/stop", "{}")]
    public async Task A_services_key_is_refused_for_another_app(string path, string body)
    {
        var other = _device.OtherAppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var content = new StringContent(body.Replace("{other}", other, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await _service.PostAsync(new Uri(path.Replace("{other}", other, StringComparison.Ordinal), UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"app {_device.AppUuid}", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v3/workflows")]
    [InlineData("/v3/plan")]
    [InlineData("/v2/cleanup-volumes")]
    public async Task A_services_key_is_refused_what_spans_every_app(string path)
    {
        using var response = await _service.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_services_key_sees_only_its_own_app_and_the_device_key_sees_both()
    {
        var seen = await _service.GetFromJsonAsync<JsonElement>("/v2/applications/state");
        var all = await _device.Client.GetFromJsonAsync<JsonElement>("/v2/applications/state");
        using var legacy = await _service.GetAsync(new Uri($"/v2/applications/{_device.OtherAppId}/state", UriKind.Relative));

        Assert.Equal([_device.AppUuid], seen.EnumerateObject().Select(a => a.Value.GetProperty("appUuid").GetString()));
        Assert.Equal(2, all.EnumerateObject().Count());
        Assert.Equal(HttpStatusCode.Forbidden, legacy.StatusCode);
    }

    [Fact]
    public async Task A_services_key_acts_on_the_device_as_balenas_does()
    {
        using var update = await _service.PostAsJsonAsync("/v1/update", new { });
        using var device = await _service.GetAsync(new Uri("/v1/device", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        Assert.Equal(HttpStatusCode.OK, device.StatusCode);
    }

    [Fact]
    public async Task A_key_no_service_was_given_is_unauthorized()
    {
        using var stranger = _device.Host.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "0123456789abcdef0123456789abcdef");

        using var response = await stranger.GetAsync(new Uri("/v2/applications/state", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
