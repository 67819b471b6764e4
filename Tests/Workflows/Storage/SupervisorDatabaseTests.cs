using Microsoft.Data.Sqlite;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Workflows.Storage;

public sealed class SupervisorDatabaseTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-database-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_connection_waits_for_another_writer_in_sqlites_own_busy_handler_and_flushes_every_commit()
    {
        var database = new SupervisorDatabase(Path.Combine(_root, "supervisor.db"));

        await using var connection = await database.OpenAsync();

        // Without busy_timeout, Microsoft.Data.Sqlite retries a locked database only every 150 ms.
        Assert.Equal(30000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA synchronous;"));
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
