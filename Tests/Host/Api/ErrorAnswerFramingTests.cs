using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// Error answers over a real socket (the in-memory test server never chunks): each goes out
/// whole, with its length, rather than as a chunked stream that costs a second send.
/// </summary>
public sealed class ErrorAnswerFramingTests : IDisposable
{
    private const string Key = "framing-key";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-framing-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Refusals_are_sent_with_their_length_not_chunked()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "workflow-definitions"), "*.json"))
        {
            File.Copy(file, Path.Combine(_root.FullName, "workflows", Path.GetFileName(file)));
        }

        await using var host = HostProcess.Start(
            $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
            $"--Supervisor:WorkflowsDir={Path.Combine(_root.FullName, "workflows")}",
            $"--Supervisor:ApiKey={Key}",
            $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock");
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await host.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));

        using var anonymous = new HttpClient();
        using var unauthorised = await anonymous.GetAsync(new Uri($"{host.Url}/v2/version"));
        using var missing = await client.PostAsJsonAsync(new Uri($"{host.Url}/v2/applications/999/restart-service"), new { serviceName = "main" });

        foreach (var (answer, status) in new[] { (unauthorised, HttpStatusCode.Unauthorized), (missing, HttpStatusCode.NotFound) })
        {
            Assert.Equal(status, answer.StatusCode);
            Assert.NotEqual(true, answer.Headers.TransferEncodingChunked);
            Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
            var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("failed", body.GetProperty("status").GetString());
        }
    }
}
