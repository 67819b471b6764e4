using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Planning;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>
/// A client that posts a target and then polls <c>/v2/state/status</c>, as balena's docs tell it to, against the
/// real loop, engine and registry: between the 200 and the pass that queues the apply, the device must already say
/// it is applying.
/// </summary>
public sealed class PendingTargetTests : IAsyncLifetime
{
    private static readonly string[] Workflows =
        [.. ReconcileWorkflows.All];

    private static readonly TimeSpan Converges = TimeSpan.FromSeconds(90);

    private readonly TestImageFactory _images = new("pending");
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-pending-locks-").FullName;
    private readonly ReleaseDocuments _releases;
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public PendingTargetTests() => _releases = new ReleaseDocuments(_images);

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped(Workflows));
        _client = _host.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Fact]
    public async Task Right_after_a_new_target_is_accepted_the_device_says_applying_until_the_new_release_runs()
    {
        var image = await _images.PublishAsync("main", "v1", withBusybox: true);
        await PostAsync(_releases.Release("commit1", ("main", image)));
        await Eventually.GetAsync(ReadAsync, r => r is ("applied", "commit1"), Converges, "release 1 applied");

        await PostAsync(_releases.Release("commit2", ("main", image)));

        // Each answer is read before the engine is looked at: an "applied" followed by a look that finds release 2
        // not running yet was an answer about the old release.
        var seen = new List<string>();
        while (true)
        {
            var (state, running) = await ReadAsync();
            if (running == "commit2")
            {
                break;
            }

            seen.Add(state);
            Assert.True(state == "applying", $"appState answers before release 2 ran: {string.Join(", ", seen)}");
            Assert.True(seen.Count < 5000, "release 2 never ran");
        }

        Assert.NotEmpty(seen);
        await Eventually.GetAsync(AppStateAsync, s => s == "applied", Converges, "release 2 applied");
    }

    private async Task PostAsync(string target)
    {
        using var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(target, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private async Task<string> AppStateAsync() =>
        (await _client.GetFromJsonAsync<JsonElement>("/v2/state/status")).GetProperty("appState").GetString()!;

    /// <summary><c>appState</c>, then the release of the app's running container if one runs (null otherwise): its name's end, since a release that changes nothing moves the container by renaming it.</summary>
    private async Task<(string AppState, string? Running)> ReadAsync()
    {
        var state = await AppStateAsync();
        var containers = await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={_releases.AppUuid}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
        return (state, containers.Count == 1 ? containers[0].Names[0][(containers[0].Names[0].LastIndexOf('_') + 1)..] : null);
    }
}
