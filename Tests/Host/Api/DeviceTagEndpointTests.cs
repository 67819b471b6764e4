using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary><c>GET</c>/<c>PATCH /v2/device/tags</c>, kept on the device when no cloud is configured.</summary>
public sealed class DeviceTagEndpointTests
{
    [Fact]
    public async Task Tags_set_are_listed_and_one_set_again_takes_its_new_value()
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateAuthorizedClient();

        using var first = await PatchAsync(client, """{ "room": "kitchen", "floor": "1" }""");
        using var second = await PatchAsync(client, """{ "room": "hall" }""");
        var listed = await client.GetFromJsonAsync<JsonElement>("/v2/device/tags");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("success", listed.GetProperty("status").GetString());
        Assert.Equal(
            [("room", "hall"), ("floor", "1")],
            listed.GetProperty("tags").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("value").GetString())));
        Assert.All(listed.GetProperty("tags").EnumerateArray(), t => Assert.True(t.GetProperty("id").GetInt64() > 0));
    }

    [Theory]
    [InlineData("""["room"]""", "Invalid tags body")]
    [InlineData("""{ "room": 1 }""", "Invalid tags body")]
    [InlineData("""{ "ok": "1", "my room": "x" }""", "Tag keys cannot contain whitespace")]
    [InlineData("not json", "Invalid tags body")]
    public async Task A_malformed_body_is_refused_and_sets_nothing(string body, string message)
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateAuthorizedClient();

        using var response = await PatchAsync(client, body);
        var listed = await client.GetFromJsonAsync<JsonElement>("/v2/device/tags");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, listed.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public async Task With_a_cloud_configured_tags_answer_501_rather_than_the_devices_own()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>
        {
            ["Supervisor:Cloud:BaseUrl"] = "http://127.0.0.1:9",
            ["Supervisor:Cloud:DeviceUuid"] = "dev1",
            ["Supervisor:Cloud:DeviceKey"] = "key",
            ["Supervisor:Reconciler:Enabled"] = "false",
        });
        using var client = host.CreateAuthorizedClient();

        using var response = await client.GetAsync(new Uri("/v2/device/tags", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string body) =>
        client.PatchAsync(new Uri("/v2/device/tags", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
}
