using System.Net;
using System.Text;
using Docker.DotNet.Models;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// A purge through the real host with the reconcile loop on: as balena's, it answers once the app's services run
/// again, so a caller that purges and then talks to the service finds it there.
/// </summary>
public sealed class PurgeAnswerTests : IAsyncLifetime
{
    // The app's own id: its volume is named by it (balena's APPID_NAME), so no other test's volume is taken for it.
    private readonly int _appId = Random.Shared.Next(100_000_000, 999_999_999);
    private readonly TestImageFactory _images = new("purgeanswer");
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-purge-locks-").FullName;
    private readonly string _appUuid = "purge" + Guid.NewGuid().ToString("N")[..16];
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped([.. ReconcileWorkflows.All, "purge-app"]));
        _client = _host.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
        try
        {
            await _images.Client.Volumes.RemoveAsync($"{_appId}_data", force: true);
        }
        catch (Docker.DotNet.DockerApiException)
        {
            // Never made: the test stopped before the target was applied.
        }

        await _images.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Theory]
    [InlineData("/v2/applications/APPID/purge", "{}")]
    [InlineData("/v1/purge", """{"appId":APPID}""")]
    public async Task Purge_answers_when_the_services_run_again_with_new_containers_and_an_empty_volume(string path, string body)
    {
        var appId = _appId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (path, body) = (path.Replace("APPID", appId, StringComparison.Ordinal), body.Replace("APPID", appId, StringComparison.Ordinal));
        var image = await _images.PublishAsync("keeper", "v1", withBusybox: true);
        var target = $$"""
            { "device-1": { "name": "purge-test", "config": {}, "apps": { "{{_appUuid}}": { "id": {{_appId}}, "name": "keepers", "class": "fleet",
              "releases": { "c1": { "id": 1, "volumes": { "data": {} }, "networks": {}, "services": {
                "keeper": { "id": 1, "image_id": 1, "image": "{{image.TagName}}@{{image.Digest}}",
                  "labels": { "{{TestLabels.Owner}}": "{{_images.Prefix}}" },
                  "composition": { "command": ["sh", "-c", "[ -f /data/mark ] && echo kept; touch /data/mark; echo started; sleep 600"], "volumes": ["data:/data"], "init": true, "stop_grace_period": "1s" } } } } } } } } }
            """;
        using (var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json")))
        {
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        var before = await Eventually.GetAsync(RunningAsync, c => c.Count == 1, TimeSpan.FromSeconds(120), "the service to run");

        using var purged = await _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(purged.StatusCode == HttpStatusCode.OK, await purged.Content.ReadAsStringAsync());
        var after = Assert.Single(await RunningAsync());
        Assert.NotEqual(before.Single().ID, after.ID);
        // The volume was purged: the new container found no mark (the old container's output went with it).
        var printed = await Eventually.GetAsync(
            () => _client.GetStringAsync(new Uri("/v2/journal-logs?format=json&unit=keeper", UriKind.Relative)), t => t.Length > 0, TimeSpan.FromSeconds(10), "the new container's output");
        Assert.DoesNotContain("kept", printed, StringComparison.Ordinal);
    }

    private async Task<IList<ContainerListResponse>> RunningAsync() =>
        await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{TestLabels.Owner}={_images.Prefix}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
}
