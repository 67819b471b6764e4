using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Apply;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Jobs;

namespace Supervisor.Tests.Host;

/// <summary>
/// The state endpoints while an image downloads: a real fetch job pulls through a throttled registry, the apply
/// snapshot names that job as the reconcile loop does, and the endpoints report the run's progress.
/// </summary>
public sealed class DownloadStateTests : IAsyncLifetime
{
    private const int PayloadBytes = 3 * 1024 * 1024;
    private const int BytesPerSecond = 768 * 1024;

    private readonly TestImageFactory _images = new("dlstate");
    private readonly string _appUuid = Guid.NewGuid().ToString("N");
    private readonly string _commit = Guid.NewGuid().ToString("N");
    private ThrottledProxy _proxy = null!;
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        var published = await _images.PublishAsync("big", extraBytes: PayloadBytes);
        _proxy = new ThrottledProxy(_images.Environment.Registry, BytesPerSecond);

        // Pulled through the proxy, the image is named by the proxy's address.
        _image = $"{_proxy.Address}{published.Repository[_images.Environment.Registry.Length..]}:{published.Tag}@{published.Digest}";
        _host = new SupervisorHostFactory(
            // The test plays the loop's part (it sets the apply snapshot itself), so the real loop stays off.
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:Reconciler:Enabled"] = "false" },
            SupervisorHostFactory.Shipped("fetch-image"));
        _client = _host.CreateAuthorizedClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        foreach (var name in new[] { _image, _image.Split('@')[0] })
        {
            try
            {
                await _images.Client.Images.DeleteImageAsync(name, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
            }
            catch (Docker.DotNet.DockerApiException)
            {
                // Not pulled, or already gone with the other name.
            }
        }

        _proxy.Dispose();
        await _images.DisposeAsync();
    }

    [Fact]
    public async Task A_download_under_way_is_reported_with_its_progress_then_as_downloaded()
    {
        var target = $$"""
            { "device-1": { "name": "d", "config": {}, "apps": { "{{_appUuid}}": { "id": 8, "name": "big", "class": "fleet",
              "releases": { "{{_commit}}": { "id": 80, "services": { "main": { "id": 81, "image_id": 810, "image": "{{_image}}" } } } } } } } }
            """;
        using (var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json")))
        {
            posted.EnsureSuccessStatusCode();
        }

        // What the reconcile loop does for a fetch: enqueue the job, and name it in the apply snapshot.
        var input = JsonSerializer.SerializeToElement(new { image = _image, appUuid = _appUuid, serviceName = "main", commit = _commit, appId = 8, serviceId = 81, imageId = 810, releaseId = 80 });
        var jobId = _host.Services.GetRequiredService<WorkflowScheduler>().Enqueue("fetch-image", input, "test");
        _host.Services.GetRequiredService<ApplyStatus>().Update(s => s with
        {
            Applying = true,
            Fetches = [new FetchInProgress(_appUuid, "main", _commit, _image, jobId)],
        });

        var during = await Eventually.GetAsync(
            () => _client.GetFromJsonAsync<JsonElement>("/v2/applications/state"),
            apps => apps.GetProperty("big").GetProperty("services").GetProperty("main").GetProperty("downloadProgress") is { ValueKind: JsonValueKind.Number } p
                    && p.GetInt32() is > 0 and < 100,
            TimeSpan.FromSeconds(60),
            "progress between 0 and 100 %");
        Assert.Equal("downloading", during.GetProperty("big").GetProperty("updateStatus").GetString());
        Assert.Equal("Downloading", during.GetProperty("big").GetProperty("services").GetProperty("main").GetProperty("status").GetString());

        var status = await _client.GetFromJsonAsync<JsonElement>("/v2/state/status");
        Assert.Equal("applying", status.GetProperty("appState").GetString());
        Assert.True(status.GetProperty("overallDownloadProgress").GetInt32() > 0, $"overall progress: {status}");

        var after = await Eventually.GetAsync(
            () => _client.GetFromJsonAsync<JsonElement>("/v2/applications/state"),
            apps => apps.GetProperty("big").GetProperty("services").GetProperty("main").GetProperty("status").GetString() == "Downloaded",
            TimeSpan.FromSeconds(90),
            "the image to be recorded");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("big").GetProperty("services").GetProperty("main").GetProperty("downloadProgress").ValueKind);
        Assert.Equal("applying changes", after.GetProperty("big").GetProperty("updateStatus").GetString());
    }
}
