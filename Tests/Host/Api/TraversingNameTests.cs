using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// Names that would lead out of the lock root, through the real host: a target naming its app or
/// service so is refused with the JSON path, and a run given one ends Invalid (400); neither
/// creates a folder anywhere.
/// </summary>
public sealed class TraversingNameTests
{
    private static Dictionary<string, string?> Settings(string root) => new()
    {
        ["Supervisor:LocalMode"] = "true",
        ["Supervisor:LockRoot"] = Path.Combine(root, "locks"),
        ["Supervisor:Reconciler:Enabled"] = "false",
    };

    /// <summary>A folder holding only the lock root, so that a folder created beside it or in it shows.</summary>
    private static string LockRootParent()
    {
        var root = Directory.CreateTempSubdirectory("supervisor-traversal-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "locks"));
        return root;
    }

    private static void AssertNothingCreated(string root)
    {
        Assert.Equal(["locks"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "locks")));
    }

    private static string Target(string app, string service) => $$"""
        { "device-1": { "name": "d", "config": {}, "apps": { "{{app}}": { "name": "fleet", "class": "fleet",
            "releases": { "commit-1": { "id": 22,
              "services": { "{{service}}": { "id": 33, "image_id": 44, "image": "registry.local/fleet/main:v1", "environment": {}, "labels": {} } },
              "volumes": {}, "networks": {} } } } } } }
        """;

    [Fact]
    public async Task A_target_whose_app_uuid_or_service_name_climbs_out_is_refused_at_their_paths_and_nothing_is_stored()
    {
        var root = LockRootParent();
        try
        {
            await using var host = new SupervisorHostFactory(Settings(root));
            using var client = host.CreateAuthorizedClient();
            const string app = "aaaaaaaaaaaa/../../outside/app-X";
            const string service = "../../escaped";

            using var posted = await client.PostAsync(
                new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(Target(app, service), Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
            var answer = await posted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("failed", answer.GetProperty("status").GetString());
            var appPath = $"$.device-1.apps['{app}']";
            Assert.Equal(
                [appPath, $"{appPath}.releases.commit-1.services['{service}']"],
                answer.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()));
            Assert.All(answer.GetProperty("errors").EnumerateArray(), e => Assert.Contains("only letters, digits", e.GetProperty("message").GetString(), StringComparison.Ordinal));

            var stored = await client.GetFromJsonAsync<JsonElement>("/v2/local/target-state");
            Assert.Equal(JsonValueKind.Null, stored.GetProperty("stateV3").ValueKind);
            AssertNothingCreated(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("restart-service", "app-1", "../../escaped-{0}")]
    [InlineData("stop-service", "app-1", "../../escaped-{0}")]
    [InlineData("restart-service", "aaaa/../../escaped-{0}", "main")]
    [InlineData("stop-service", "aaaa/../../escaped-{0}", "main")]
    public async Task A_run_given_a_name_that_climbs_out_of_the_lock_root_ends_Invalid_answers_400_and_creates_no_folder(string workflow, string appUuid, string serviceName)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var root = LockRootParent();
        try
        {
            await using var host = new SupervisorHostFactory(Settings(root), SupervisorHostFactory.Shipped(workflow));
            using var client = host.CreateAuthorizedClient();

            using var response = await client.PostAsJsonAsync(
                $"/v3/workflows/{workflow}/runs?wait=60",
                new { appUuid = string.Format(System.Globalization.CultureInfo.InvariantCulture, appUuid, marker), serviceName = string.Format(System.Globalization.CultureInfo.InvariantCulture, serviceName, marker) });

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
            var run = JsonDocument.Parse(body).RootElement;
            Assert.Equal(("Failed", "Invalid"), (run.GetProperty("status").GetString(), run.GetProperty("reason").GetString()));
            Assert.Contains($"escaped-{marker}\" cannot name a folder under", run.GetProperty("message").GetString(), StringComparison.Ordinal);
            AssertNothingCreated(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
