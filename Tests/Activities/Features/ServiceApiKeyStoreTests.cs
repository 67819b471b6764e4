using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Supervisor.Activities.Features;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Activities.Features;

public sealed class ServiceApiKeyStoreTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-keys-").FullName;
    private SupervisorDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new SupervisorDatabase(Path.Combine(_root, "supervisor.db"));
        await new DatabaseMigrator(_database, [ApiKeyMigrations.Initial], NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_service_keeps_its_key_and_each_service_has_its_own()
    {
        using var store = new ServiceApiKeyStore(_database, new FakeTimeProvider());

        var web = await store.GetOrCreateAsync("app-a", 7, "web");

        Assert.Equal(web, await store.GetOrCreateAsync("app-a", 7, "web"));
        Assert.Matches("^[0-9a-f]{32}$", web);
        Assert.NotEqual(web, await store.GetOrCreateAsync("app-a", 7, "worker"));
        Assert.NotEqual(web, await store.GetOrCreateAsync("app-b", 8, "web"));
        Assert.Equal(new ServiceApiKey("app-a", 7, "web"), await store.FindAsync(web));
        Assert.Null(await store.FindAsync("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task Keys_survive_a_restart()
    {
        string key;
        using (var before = new ServiceApiKeyStore(_database, new FakeTimeProvider()))
        {
            key = await before.GetOrCreateAsync("app-a", null, "web");
        }

        using var after = new ServiceApiKeyStore(_database, new FakeTimeProvider());

        Assert.Equal(new ServiceApiKey("app-a", null, "web"), await after.FindAsync(key));
        Assert.Equal(key, await after.GetOrCreateAsync("app-a", null, "web"));
    }
}
