using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Activities.Images;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Activities.Images;

/// <summary>The real program killed with SIGKILL in the middle of a pull, then started again.</summary>
public sealed class FetchCrashTests : IAsyncLifetime
{
    private const string Key = "fetch-crash-key";

    private readonly TestImageFactory _images = new("fetchcrash");
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-fetchcrash-");
    private ThrottledProxy? _proxy;
    private string? _pulledName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_pulledName is not null)
        {
            // Pulled through the proxy, the image's names carry the proxy's address, outside the factory's prefix.
            foreach (var name in new[] { _pulledName, _pulledName.Split('@')[0] })
            {
                try
                {
                    await _images.Client.Images.DeleteImageAsync(name, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
                }
                catch (Docker.DotNet.DockerApiException)
                {
                    // Already gone.
                }
            }
        }

        _proxy?.Dispose();
        await _images.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
    }

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
        $"--Supervisor:WorkflowsDir={Path.Combine(_root.FullName, "workflows")}",
        $"--Supervisor:ApiKey={Key}",
        $"--Supervisor:DockerHost={_images.Environment.DockerHost}",
    ];

    private async Task<IReadOnlyList<ImageRecord>> RecordsAsync()
    {
        var database = new SupervisorDatabase(Path.Combine(_root.FullName, "data", "supervisor.db"));
        return await new ImageStore(database, TimeProvider.System).ListAsync();
    }

    [Fact]
    public async Task A_pull_interrupted_by_a_crash_leaves_no_record_and_the_resumed_run_records_it_once()
    {
        var image = await _images.PublishAsync("big", "v1", withBusybox: false, extraBytes: 12 * 1024 * 1024);
        _proxy = new ThrottledProxy(_images.Environment.Registry, bytesPerSecond: 2 * 1024 * 1024);
        var path = image.Repository[(image.Repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
        _pulledName = $"{_proxy.Address}/{path}:v1@{image.Digest}";
        Directory.CreateDirectory(Path.Combine(_root.FullName, "workflows"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "workflow-definitions", "fetch-image.json"), Path.Combine(_root.FullName, "workflows", "fetch-image.json"));
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var input = new { image = _pulledName, appUuid = "app1", serviceName = "main", commit = "c1" };
        string runId;

        await using (var first = HostProcess.Start(Arguments()))
        {
            await first.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
            using var response = await client.PostAsJsonAsync($"{first.Url}/v3/workflows/fetch-image/runs?wait=0", input);
            runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Kill it once the download is under way: some bytes in, far from all.
            await Eventually.GetAsync(
                () => client.GetFromJsonAsync<JsonElement>($"{first.Url}/v3/runs/{runId}"),
                r => r.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object && p.GetProperty("value").GetProperty("downloadedBytes").GetInt64() > 0,
                TimeSpan.FromSeconds(30),
                "the pull to report progress");
            await first.KillAsync();
        }

        Assert.Empty(await RecordsAsync());

        await using var second = HostProcess.Start(Arguments());
        await second.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));
        var run = await Eventually.GetAsync(
            () => client.GetFromJsonAsync<JsonElement>($"{second.Url}/v3/runs/{runId}"),
            r => r.GetProperty("status").GetString() is "Completed" or "Failed" or "Faulted",
            TimeSpan.FromSeconds(90),
            "the resumed run to end");

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["fetch", "tag", "persist"], steps.Select(s => s.GetProperty("activityId").GetString()));
        Assert.Equal(2, steps[0].GetProperty("attempt").GetInt32());
        var record = Assert.Single(await RecordsAsync());
        Assert.Equal(_pulledName, record.Name);
        var pulled = await _images.Client.Images.InspectImageAsync(_pulledName.Split('@')[0]);
        Assert.Equal(image.ImageId, pulled.ID);
    }
}
