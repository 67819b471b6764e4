using Microsoft.Data.Sqlite;

namespace Supervisor.Workflows.Storage;

/// <summary>
/// The supervisor's own SQLite database (images, target state, the workflow journal). Every
/// connection runs with foreign keys on and <c>synchronous=FULL</c>, in WAL mode: a device that
/// loses power must find every committed journal entry on disk. Writers that meet wait for each
/// other in SQLite's busy handler (<c>busy_timeout</c>, 30 s as the command timeout).
/// </summary>
public sealed class SupervisorDatabase
{
    private readonly string _connectionString;

    public SupervisorDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Closes the pooled connections to this file, so that nothing keeps it open once it is moved or deleted.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            // busy_timeout: a writer that finds the database locked by another (two runs ending at once) waits in
            // SQLite's own short steps, a few milliseconds; without it Microsoft.Data.Sqlite retries every 150 ms.
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
