using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Supervisor.Activities.Services;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Reconciler.Apply;

namespace Supervisor.Tests.Host.Storage;

/// <summary>
/// The real program with its data folder on a small tmpfs that fills while an apply downloads a
/// new release (through a throttled proxy, so that the downloads are under way when it fills).
/// Once space is back the device must converge by itself, without a restart, and the journal must
/// hold no run that nothing will finish.
/// </summary>
public sealed class DiskFullDuringApplyTests : IAsyncLifetime
{
    private const string Key = "disk-full-apply-key";

    private readonly TestImageFactory _images = new("diskfullapply");
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-diskfullapply-");
    private readonly List<string> _proxiedNames = [];
    private readonly HttpClient _client = new();
    private readonly string _instance = $"diskfull-{Guid.NewGuid().ToString("N")[..8]}";
    private ThrottledProxy? _proxy;
    private SmallFileSystem? _disk;

    public async Task InitializeAsync()
    {
        _disk = await SmallFileSystem.MountAsync(64 * 1024 * 1024);
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
        foreach (var name in _proxiedNames)
        {
            try
            {
                await _images.Client.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = true });
            }
            catch (Docker.DotNet.DockerApiException)
            {
                // Already gone.
            }
        }

        _proxy?.Dispose();
        await _images.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_disk is not null)
        {
            await _disk.DisposeAsync();
        }

        _root.Delete(recursive: true);
    }

    private string[] Arguments() =>
    [
        $"--Supervisor:DataDir={Path.Combine(_disk!.Path, "data")}",
        $"--Supervisor:LockRoot={Path.Combine(_root.FullName, "locks")}",
        $"--Supervisor:ApiKey={Key}",
        $"--Supervisor:DockerHost={_images.Environment.DockerHost}",
        "--Supervisor:LocalMode=true",
        $"--Supervisor:Instance={_instance}",

        // Bounded so that the test's wait is; the stall this guards against lasted until a restart.
        "--Supervisor:Reconciler:BackoffCap=00:00:05",
        "--Supervisor:Database:HealthCheckInterval=00:00:02",
        "--Supervisor:Jobs:StrandedRunSweepInterval=00:00:02",
    ];

    [Fact]
    public async Task After_the_disk_fills_during_an_apply_the_device_converges_by_itself_once_space_is_back_and_is_unhealthy_meanwhile()
    {
        var (documents, release2) = await PrepareAsync();
        await using var host = HostProcess.Start(Arguments());
        await host.WaitUntilUpAsync(_client, TimeSpan.FromSeconds(60));
        await ConvergeOnFirstReleaseAsync(host, documents);

        await FillDuringTheSecondApplyAsync(host, release2);

        // While the loop cannot apply, whatever watches /v1/healthy must hear so (balena's 500 "Unhealthy").
        await Eventually.GetAsync(
            () => HealthAsync(host), s => s == HttpStatusCode.InternalServerError, TimeSpan.FromSeconds(30),
            $"/v1/healthy to answer 500 while the disk is full:\n{host.Output}");
        await HangfireGaveUpAsync(host);

        _disk!.Free();
        await Eventually.GetAsync(
            () => RunningServicesAsync(documents.AppUuid, "commit2"), n => n == 2, TimeSpan.FromSeconds(90),
            $"both services of the second release running without a restart:\n{host.Output}");
        await Eventually.GetAsync(() => HealthAsync(host), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/v1/healthy to answer 200 again");
    }

    [Fact]
    public async Task After_the_disk_fills_during_an_apply_no_run_is_left_unfinished_once_converged_nor_after_a_restart()
    {
        var (documents, release2) = await PrepareAsync();
        await using (var host = HostProcess.Start(Arguments()))
        {
            await host.WaitUntilUpAsync(_client, TimeSpan.FromSeconds(60));
            await ConvergeOnFirstReleaseAsync(host, documents);
            await FillDuringTheSecondApplyAsync(host, release2);
            await HangfireGaveUpAsync(host);
            _disk!.Free();
            await Eventually.GetAsync(
                () => RunningServicesAsync(documents.AppUuid, "commit2"), n => n == 2, TimeSpan.FromSeconds(90),
                $"both services of the second release running:\n{host.Output}");
            await Eventually.GetAsync(
                () => UnfinishedRunsAsync(host), runs => runs.Length == 0, TimeSpan.FromSeconds(60),
                "no run Pending or Running once the device converged");
        }

        await using (var host = HostProcess.Start(Arguments()))
        {
            await host.WaitUntilUpAsync(_client, TimeSpan.FromSeconds(60));
            await Eventually.GetAsync(
                async () => (await _client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/plan")).GetProperty("isEmpty").GetBoolean(),
                empty => empty, TimeSpan.FromSeconds(30), "an empty plan after the restart");

            // The runs of this start (its image checkup) may still be going; none may stay unfinished.
            await Eventually.GetAsync(
                () => UnfinishedRunsAsync(host), runs => runs.Length == 0, TimeSpan.FromSeconds(60),
                "no run Pending or Running after the restart");
        }
    }


    private async Task<(ReleaseDocuments Documents, string Release2)> PrepareAsync()
    {
        var documents = new ReleaseDocuments(_images);
        var first = await _images.PublishAsync("first", "v1", withBusybox: true);
        var second = await _images.PublishAsync("second", "v1", withBusybox: true);

        // Release 2 comes through a throttled proxy: its downloads take seconds, so the disk fills under way.
        var big1 = await _images.PublishAsync("big-one", "v2", withBusybox: true, extraBytes: 6 * 1024 * 1024);
        var big2 = await _images.PublishAsync("big-two", "v2", withBusybox: true, extraBytes: 6 * 1024 * 1024);
        _proxy = new ThrottledProxy(_images.Environment.Registry, bytesPerSecond: 2 * 1024 * 1024);
        _release1 = documents.Release("commit1", ("one", first), ("two", second));
        return (documents, documents.Release("commit2", ("one", Proxied(big1)), ("two", Proxied(big2))));
    }

    private string? _release1;

    private TestImage Proxied(TestImage image)
    {
        var repository = $"{_proxy!.Address}/{image.Repository[(image.Repository.IndexOf('/', StringComparison.Ordinal) + 1)..]}";
        var proxied = image with { Repository = repository };
        _proxiedNames.AddRange([proxied.TagName, proxied.DigestName]);
        return proxied;
    }

    private async Task ConvergeOnFirstReleaseAsync(HostProcess host, ReleaseDocuments documents)
    {
        await PostTargetAsync(host, _release1!);
        await Eventually.GetAsync(
            () => RunningServicesAsync(documents.AppUuid, "commit1"), n => n == 2, TimeSpan.FromSeconds(60),
            $"both services of the first release running:\n{host.Output}");
        await Eventually.GetAsync(
            async () => (await _client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/plan")).GetProperty("isEmpty").GetBoolean(),
            empty => empty, TimeSpan.FromSeconds(30), "an empty plan on the first release");
    }

    /// <summary>Posts release 2 and fills the disk (nothing left free) once its downloads are under way.</summary>
    private async Task FillDuringTheSecondApplyAsync(HostProcess host, string release2)
    {
        await PostTargetAsync(host, release2);
        await Eventually.GetAsync(
            async () => (await _client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/runs?workflow=fetch-image&status=Running")).GetProperty("total").GetInt32(),
            n => n == 2, TimeSpan.FromSeconds(30), $"both downloads under way:\n{host.Output}");
        await _disk!.FillAsync(leaveFreeBytes: 0);
    }

    /// <summary>
    /// Waits until Hangfire has given up writing the downloads' end (ten attempts over about 45 s):
    /// their jobs are then left Processing with no worker, as the fault campaign saw.
    /// </summary>
    private static Task HangfireGaveUpAsync(HostProcess host) =>
        Eventually.TrueAsync(
            () => host.Output.Contains("state change attempt(s) failed", StringComparison.Ordinal), TimeSpan.FromSeconds(120),
            $"Hangfire to give up writing a job's state on the full disk:\n{host.Output}");

    private async Task PostTargetAsync(HostProcess host, string document)
    {
        using var posted = await _client.PostAsync(new Uri($"{host.Url}/v2/local/target-state"), new StringContent(document, Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, $"{(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}");
    }

    private async Task<HttpStatusCode> HealthAsync(HostProcess host)
    {
        using var response = await _client.GetAsync(new Uri($"{host.Url}/v1/healthy"));
        return response.StatusCode;
    }

    /// <summary>The runs the journal holds as Pending or Running, one a line ("" when none).</summary>
    private async Task<string> UnfinishedRunsAsync(HostProcess host)
    {
        var unfinished = new List<string>();
        foreach (var status in new[] { "Pending", "Running" })
        {
            var runs = await _client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/runs?status={status}&pageSize=100");
            unfinished.AddRange(runs.GetProperty("runs").EnumerateArray().Select(r => $"{r.GetProperty("workflowId").GetString()} {r.GetProperty("id").GetString()} {status}"));
        }

        return string.Join('\n', unfinished);
    }

    private async Task<int> RunningServicesAsync(string appUuid, string commit)
    {
        var containers = await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ServiceLabels.AppUuid}={appUuid}"] = true },
            },
        });
        return containers.Count(c => c.State == "running" && c.Labels.TryGetValue(ServiceLabels.Commit, out var value) && value == commit);
    }
}
