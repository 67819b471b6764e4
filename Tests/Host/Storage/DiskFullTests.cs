using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Storage;

/// <summary>The real host with its data folder on a small real file system that the test fills.</summary>
public sealed class DiskFullTests
{
    private const string First = """{ "device-1": { "name": "first", "config": {}, "apps": {} } }""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_target_posted_on_a_full_disk_answers_503_naming_the_cause_and_the_stored_target_stays()
    {
        await using var disk = await SmallFileSystem.MountAsync(32 * 1024 * 1024);
        var dataDir = Path.Combine(disk.Path, "data");
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>
        {
            ["Supervisor:LocalMode"] = "true",
            ["Supervisor:DataDir"] = dataDir,
            ["Supervisor:Database:HealthCheckInterval"] = "00:00:01",
        });
        using var client = host.CreateAuthorizedClient();
        using (var accepted = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(First)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        // Larger than anything the write-ahead log has room for already, so that saving it must take new blocks.
        var second = $$"""{ "device-1": { "name": "second", "config": { "NOTE": "{{new string('x', 4 * 1024 * 1024)}}" }, "apps": {} } }""";
        await disk.FillAsync(leaveFreeBytes: 0);
        using (var refused = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(second)))
        {
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)refused.StatusCode}: {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal("failed", body.GetProperty("status").GetString());
            var message = body.GetProperty("message").GetString()!;
            Assert.Contains(Path.Combine(dataDir, "supervisor.db"), message, StringComparison.Ordinal);
            Assert.Contains("the disk is full", message, StringComparison.Ordinal);
        }

        using (var health = await client.GetAsync(new Uri("/v1/healthy", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, health.StatusCode);
        }

        disk.Free();
        var stored = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
        Assert.Equal("first", stored.GetProperty("stateV3").GetProperty("device-1").GetProperty("name").GetString());
        await Eventually.GetAsync(
            async () => (await client.GetAsync(new Uri("/v1/healthy", UriKind.Relative))).StatusCode,
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "/v1/healthy to answer 200 once space is back");
    }
}
