using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_is_served_without_a_key_and_lists_the_device_api_reads_by_name()
    {
        await using var host = new SupervisorHostFactory();
        using var anonymous = host.CreateClient();

        using var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var paths = document.GetProperty("paths");
        var operations = new Dictionary<string, string>
        {
            ["/v2/applications/state"] = "GetApplicationsState",
            ["/v2/applications/{appId}/state"] = "GetLegacyApplicationState",
            ["/v2/state/status"] = "GetStateStatus",
            ["/v1/apps/{appId}"] = "GetLegacyApp",
            ["/v1/device"] = "GetLegacyDevice",
            ["/v2/version"] = "GetVersion",
            ["/v2/containerId"] = "GetContainerId",
            ["/v2/cleanup-volumes"] = "CleanupVolumes",
        };
        foreach (var (path, operationId) in operations)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the document");
            var get = item.GetProperty("get");
            Assert.Equal(operationId, get.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(get.GetProperty("summary").GetString()), $"{path} has no summary");
        }

        var legacyResponses = paths.GetProperty("/v2/applications/{appId}/state").GetProperty("get").GetProperty("responses");
        Assert.Equal(["200", "400", "401", "403", "404", "503"], legacyResponses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
    }
}
