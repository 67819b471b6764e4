using Dapper;
using Microsoft.Extensions.Logging;

namespace Supervisor.Workflows.Storage;

/// <summary>
/// Brings the database to the newest schema: sets WAL mode and applies, in order and each in
/// its own transaction, the migrations it has not applied yet.
/// </summary>
public sealed partial class DatabaseMigrator(SupervisorDatabase database, IEnumerable<DatabaseMigration> migrations, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        var duplicate = ordered.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Database migration {duplicate.Key} is defined twice: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(database.Path)!);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);")
            .ConfigureAwait(false);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations;").ConfigureAwait(false)).ToHashSet();

        var newest = ordered.Count == 0 ? 0 : ordered[^1].Version;
        var unknown = applied.Where(v => v > newest).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database {database.Path} has schema version {unknown.Max()}, newer than this program knows ({newest}). " +
                "It was written by a newer supervisor; run that version or restore a backup.");
        }

        foreach (var migration in ordered.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At);",
                new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogApplied(logger, migration.Version, migration.Name, database.Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name}) to {Path}")]
    private static partial void LogApplied(ILogger logger, int version, string name, string path);
}
