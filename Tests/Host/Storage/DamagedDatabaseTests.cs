using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Storage;

/// <summary>A page of the real <c>supervisor.db</c> damaged under the real host: before it starts, and while it runs.</summary>
public sealed class DamagedDatabaseTests
{
    private const string Target = """{ "device-1": { "name": "before-the-damage", "config": {}, "apps": {} } }""";

    private static readonly string[] StateEndpoints = ["/v2/state/status", "/v2/applications/state", "/v3/images", "/v3/plan"];

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_page_damaged_while_the_host_was_stopped_is_found_at_start_up_and_the_file_moved_aside()
    {
        // A data folder of the test's own, which outlives the first host.
        var dataDir = Directory.CreateTempSubdirectory("supervisor-damaged-").FullName;
        var settings = new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:DataDir"] = dataDir };
        try
        {
            await using (var first = new SupervisorHostFactory(settings))
            {
                using var client = first.CreateAuthorizedClient();
                using var accepted = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(Target));
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            }

            await DatabaseDamage.DamageTablePageAsync(Path.Combine(dataDir, "supervisor.db"), "images");

            await using var second = new SupervisorHostFactory(settings);
            using var again = second.CreateAuthorizedClient();
            foreach (var endpoint in StateEndpoints.Append("/v1/healthy"))
            {
                using var response = await again.GetAsync(new Uri(endpoint, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            var aside = Assert.Single(Directory.GetFiles(dataDir, "supervisor.db.damaged-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
            Assert.True(second.Logs.Contains($"is damaged") && second.Logs.Contains(aside), string.Join('\n', second.Logs.Messages));

            // What the file held is lost with it: the target comes again from the cloud or the next POST.
            var stored = await again.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
            Assert.Equal(JsonValueKind.Null, stored.GetProperty("stateV3").ValueKind);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_page_damaged_while_the_host_runs_makes_it_unhealthy_and_the_state_endpoints_answer_503_naming_the_file()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true" });
        using var client = host.CreateAuthorizedClient();
        using (var accepted = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(Target)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var healthy = await client.GetAsync(new Uri("/v1/healthy", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        var database = Path.Combine(host.DataDir, "supervisor.db");
        await DatabaseDamage.DamageTablePageAsync(database, "images");

        // A write by the host makes every connection drop the pages it had cached, as SQLite does
        // whenever the file changes, so that the next read meets the damage on disk.
        using (var again = await client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), Json(Target.Replace("before", "after", StringComparison.Ordinal))))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        foreach (var endpoint in StateEndpoints)
        {
            using var response = await client.GetAsync(new Uri(endpoint, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{endpoint}: {(int)response.StatusCode} {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal("failed", body.GetProperty("status").GetString());
            Assert.Contains($"The database {database} is damaged", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var health = await client.GetAsync(new Uri("/v1/healthy", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
    }
}
