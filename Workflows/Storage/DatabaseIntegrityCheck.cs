using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Supervisor.Workflows.Storage;

/// <summary>
/// Checks <c>supervisor.db</c> and Hangfire's file before anything uses them. A damaged
/// <c>supervisor.db</c> is either moved aside, with its write-ahead log, so that the host starts
/// with a new database and the evidence is kept, or, when the operator turned that off, refused;
/// a file that is not a database at all (a damaged header) is always refused, since it cannot be
/// told apart from a file that is not ours. See docs/operations.md for why and what is lost.
/// </summary>
public sealed partial class DatabaseIntegrityCheck(SupervisorDatabase database, TimeProvider time, ILogger<DatabaseIntegrityCheck> logger)
{
    /// <summary>How many of <c>quick_check</c>'s findings are kept: enough to see what is damaged, not a page per row.</summary>
    private const int Findings = 5;

    /// <exception cref="DatabaseUnusableException">The file cannot be opened, is not a database, or is damaged and may not be moved aside.</exception>
    public async Task CheckAtStartupAsync(bool moveDamagedAside, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(database.Path);
        if (!file.Exists)
        {
            return;
        }

        if (file.Length == 0 && !new FileInfo(database.Path + "-wal").Exists)
        {
            // SQLite takes an empty file for a new database, but the file was made by an earlier start:
            // whatever it held is gone (a power cut before the first sync, a file system repair).
            LogEmpty(logger, database.Path);
            return;
        }

        var problem = await FindProblemAsync(cancellationToken).ConfigureAwait(false);
        if (problem is null)
        {
            return;
        }

        if (problem.ErrorCode != DatabaseProblem.Corrupt)
        {
            throw new DatabaseUnusableException(problem);
        }

        if (!moveDamagedAside)
        {
            throw new DatabaseUnusableException(problem,
                $"The database {database.Path} is damaged ({problem.Detail}). Supervisor:Database:MoveDamagedAside is false, so it is left as it is: " +
                $"move it aside (mv {database.Path} {database.Path}.damaged, with its -wal and -shm files) and start the supervisor again, or restore a backup (docs/operations.md).");
        }

        var moved = MoveAside();
        LogMovedAside(logger, database.Path, problem.Detail, moved);
    }

    /// <summary>
    /// Hangfire's file, checked the same way but never moved aside: what it holds (queued and
    /// scheduled jobs) cannot be rebuilt here, so the operator decides (docs/operations.md).
    /// </summary>
    /// <exception cref="DatabaseUnusableException">The file is not a database or is damaged.</exception>
    public static async Task CheckJobStorageAtStartupAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return;
        }

        var problem = await QuickCheckAsync(path, () => OpenUnpooledAsync(path, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (problem is { ErrorCode: DatabaseProblem.Corrupt })
        {
            throw new DatabaseUnusableException(problem,
                $"The database {path} is damaged ({problem.Detail}). Move it aside (mv {path} {path}.damaged) and start the supervisor again: " +
                "Hangfire starts with an empty queue and the reconciler plans again (docs/operations.md says what is lost).");
        }

        if (problem is not null)
        {
            throw new DatabaseUnusableException(problem);
        }
    }

    /// <summary>What is wrong with <c>supervisor.db</c> now, or null when it opens and <c>PRAGMA quick_check</c> finds nothing.</summary>
    public Task<DatabaseProblem?> FindProblemAsync(CancellationToken cancellationToken = default) =>
        QuickCheckAsync(database.Path, () => database.OpenAsync(cancellationToken), cancellationToken);

    /// <remarks>quick_check reads every page but skips the index-content checks of integrity_check: linear in the file's size.</remarks>
    private static async Task<DatabaseProblem?> QuickCheckAsync(string path, Func<Task<SqliteConnection>> open, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await open().ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA quick_check({Findings});");
                var findings = new List<string>();
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        findings.Add(reader.GetString(0));
                    }
                }

                return findings is ["ok"] ? null : DatabaseProblem.Damaged(path, string.Join("; ", findings));
            }
        }
        catch (SqliteException ex) when (DatabaseProblem.From(path, ex.SqliteErrorCode, ex.Message) is { } problem)
        {
            // A file damaged where quick_check starts (its header, its schema) fails the check itself.
            return problem;
        }
    }

    private static async Task<SqliteConnection> OpenUnpooledAsync(string path, CancellationToken cancellationToken)
    {
        // Not through a pool: the check's connection must not outlive it and hold the file Hangfire opens next.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string MoveAside()
    {
        // No pooled handle may keep the moved file open: it would go on writing there.
        database.ClearPool();
        var aside = $"{database.Path}.damaged-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        File.Move(database.Path, aside);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            // Beside the moved file under its new name, so that opening it reads what its log held.
            if (File.Exists(database.Path + suffix))
            {
                File.Move(database.Path + suffix, aside + suffix);
            }
        }

        return aside;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database {Path} was empty (0 bytes): the supervisor's state (recorded images, target state, workflow journal) was lost, most likely to a power cut or a file system repair. Starting afresh: the target comes again from the cloud or the next POST /v2/local/target-state.")]
    private static partial void LogEmpty(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database {Path} is damaged ({Damage}). It was moved aside to {MovedTo} (with its -wal and -shm files), for inspection, and the supervisor starts with a new, empty database: the recorded images, the target state and the workflow journal are lost from it. The target comes again from the cloud or the next POST /v2/local/target-state, and the next apply records the images again. See docs/operations.md.")]
    private static partial void LogMovedAside(ILogger logger, string path, string damage, string movedTo);
}
