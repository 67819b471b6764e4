using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervisor.Reconciler.Cloud;
using Supervisor.Reconciler.Target;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Supervisor.Tests.Reconciler.Cloud;

/// <summary>The cloud target source against WireMock.Net standing in for the cloud API, with a real SQLite store.</summary>
public sealed class CloudTargetStateSourceTests : IAsyncLifetime
{
    private const string Uuid = "device-1";
    private const string Key = "device-key";
    private const string Path = "/device/v3/device-1/state";

    private static readonly string Target = """
        { "device-1": { "name": "d", "config": {}, "apps": { "app-1": { "id": 1, "name": "fleet", "class": "fleet",
          "releases": { "c1": { "id": 2, "services": { "main": { "id": 3, "image_id": 4, "image": "registry.local/fleet/main:v1" } } } } } } } }
        """;

    private readonly WireMockServer _cloud = WireMockServer.Start();
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-cloud-").FullName;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync() => _services = await BuildAsync(requestTimeout: "00:00:10");

    /// <summary>Each provider is this test's own; a generous request timeout keeps a loaded machine from failing polls that should succeed.</summary>
    private async Task<ServiceProvider> BuildAsync(string requestTimeout)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supervisor:Cloud:BaseUrl"] = _cloud.Url,
            ["Supervisor:Cloud:DeviceUuid"] = Uuid,
            ["Supervisor:Cloud:DeviceKey"] = Key,
            ["Supervisor:Cloud:ErrorBackoff"] = "00:00:15",
            ["Supervisor:Cloud:PollInterval"] = "00:15:00",
            ["Supervisor:Cloud:MaxJitter"] = "00:01:00",
            ["Supervisor:Cloud:RequestTimeout"] = requestTimeout,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new SupervisorDatabase(System.IO.Path.Combine(_root, "supervisor.db")))
            .AddJournalMigrations()
            .AddSingleton<DatabaseMigrator>()
            .AddTargetState()
            .AddCloudTargetSource(configuration)
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return services;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _cloud.Stop();
        _cloud.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private CloudTargetStateSource Source() => _services.GetRequiredService<CloudTargetStateSource>();

    private Task<StoredTargetState?> StoredAsync() => _services.GetRequiredService<TargetStateStore>().GetAsync();

    [Fact]
    public async Task A_200_is_stored_with_its_etag_and_a_304_after_it_changes_nothing()
    {
        _cloud.Given(Request.Create().WithPath(Path).UsingGet().WithHeader("If-None-Match", "\"v1\""))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(304));
        _cloud.Given(Request.Create().WithPath(Path).UsingGet().WithHeader("Authorization", $"Bearer {Key}"))
            .AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "\"v1\"").WithHeader("Content-Type", "application/json").WithBody(Target));
        var source = Source();
        var accepted = new List<string>();
        source.TargetAccepted += (_, state) => accepted.Add(state.DeviceUuid);

        Assert.Equal(PollResult.Accepted, await source.PollOnceAsync(CancellationToken.None));
        Assert.Equal(PollResult.Unchanged, await source.PollOnceAsync(CancellationToken.None));

        Assert.Equal([Uuid], accepted);
        var stored = await StoredAsync();
        Assert.Equal("cloud", stored!.Source);
        Assert.Equal(Target, stored.State.Json);
        var requests = _cloud.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(2, requests.Count);
        Assert.False(requests[0].Headers!.ContainsKey("If-None-Match"));
        Assert.Equal("\"v1\"", requests[1].Headers!["If-None-Match"].Single());
        Assert.Equal($"Bearer {Key}", requests[1].Headers!["Authorization"].Single());
        Assert.Equal(0, source.ConsecutiveFailures);
    }

    [Fact]
    public async Task Errors_back_off_doubling_up_to_the_poll_interval_and_a_success_resets_it()
    {
        _cloud.Given(Request.Create().WithPath(Path).UsingGet()).RespondWith(Response.Create().WithStatusCode(500).WithBody("database down"));
        var source = Source();

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(PollResult.Failed, await source.PollOnceAsync(CancellationToken.None));
            delays.Add(source.NextDelay(random: 0.5));
        }

        Assert.Equal(
            [15, 30, 60, 120, 240, 480, 900, 900],
            delays.Select(d => (int)d.TotalSeconds));
        Assert.Null(await StoredAsync());

        _cloud.Reset();
        _cloud.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Target));
        Assert.Equal(PollResult.Accepted, await source.PollOnceAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromMinutes(15.5), source.NextDelay(random: 0.5));
    }

    [Fact]
    public async Task A_malformed_target_is_refused_and_the_accepted_one_stays()
    {
        _cloud.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Target));
        var source = Source();
        Assert.Equal(PollResult.Accepted, await source.PollOnceAsync(CancellationToken.None));

        _cloud.Reset();
        _cloud.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(Target.Replace("registry.local/fleet/main:v1", "Not A Reference", StringComparison.Ordinal)));

        Assert.Equal(PollResult.Rejected, await source.PollOnceAsync(CancellationToken.None));
        Assert.Equal(1, source.ConsecutiveFailures);
        Assert.Equal(Target, (await StoredAsync())!.State.Json);
    }

    [Fact]
    public async Task A_cloud_that_does_not_answer_in_time_is_a_failed_poll()
    {
        _cloud.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Target).WithDelay(TimeSpan.FromSeconds(3)));
        await using var impatient = await BuildAsync(requestTimeout: "00:00:00.500");

        Assert.Equal(PollResult.Failed, await impatient.GetRequiredService<CloudTargetStateSource>().PollOnceAsync(CancellationToken.None));
        Assert.Null(await impatient.GetRequiredService<TargetStateStore>().GetAsync());
    }
}
