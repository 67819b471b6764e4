using Microsoft.Data.Sqlite;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// Damages a real SQLite file the ways storage does: a page overwritten, a header broken, the
/// file cut short. Each first moves what the write-ahead log holds into the file (a checkpoint),
/// so that the damage is where SQLite will read it.
/// </summary>
public static class DatabaseDamage
{
    /// <summary>Overwrites the root page of <paramref name="table"/> with bytes that are no b-tree page; returns its page number.</summary>
    public static async Task<long> DamageTablePageAsync(string path, string table)
    {
        long page;
        long pageSize;
        await using (var connection = await OpenAsync(path))
        {
            await CheckpointAsync(connection);
            page = await ScalarAsync(connection, "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = $name", table);
            pageSize = await ScalarAsync(connection, "PRAGMA page_size");
        }

        var garbage = new byte[pageSize];
        Array.Fill(garbage, (byte)0xA5);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Seek((page - 1) * pageSize, SeekOrigin.Begin);
        await file.WriteAsync(garbage);
        await file.FlushAsync();
        return page;
    }

    /// <summary>Overwrites the magic string at the start of the file ("SQLite format 3").</summary>
    public static async Task DamageHeaderAsync(string path)
    {
        await CheckpointAsync(path);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        await file.WriteAsync("NOT A DATABASE!!"u8.ToArray());
    }

    /// <summary>Cuts the file to half its length, on a page boundary, as a copy or a power cut can.</summary>
    public static async Task TruncateToHalfAsync(string path)
    {
        await CheckpointAsync(path);
        var length = new FileInfo(path).Length;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length / 2 / 4096 * 4096);
    }

    private static async Task CheckpointAsync(string path)
    {
        await using var connection = await OpenAsync(path);
        await CheckpointAsync(connection);
    }

    private static async Task CheckpointAsync(SqliteConnection connection)
    {
        // The first column is 1 when a reader kept the checkpoint from finishing.
        if (await ScalarAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)") != 0)
        {
            throw new InvalidOperationException($"{connection.DataSource}: the checkpoint could not finish; the damage would not be where SQLite reads.");
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        // Unpooled: the test's handle must be gone before the damage is written.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, string? name = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (name is not null)
        {
            command.Parameters.AddWithValue("$name", name);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
