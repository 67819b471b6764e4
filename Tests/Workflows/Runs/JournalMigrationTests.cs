using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Workflows.Runs;

/// <summary>
/// A journal written under the first schema, brought to the lean one: every run and step is
/// kept, and the journal reads, lists and finds them as before.
/// </summary>
public sealed class JournalMigrationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-journal-migration-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Runs_and_steps_written_under_the_first_schema_read_back_the_same_after_the_lean_one()
    {
        var database = new SupervisorDatabase(Path.Combine(_root, "supervisor.db"));
        await new DatabaseMigrator(database, [JournalMigrations.Initial], NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        const string older = "01a0000000007000800000000000000a";
        const string newer = "01a0000000017000800000000000000b";
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO workflow_definitions VALUES ('h1', 'restart-service', 1, '{}');
                INSERT INTO workflow_runs VALUES (@older, 'restart-service', 1, 'h1', 'Running', 'reconciler', '{"a":1}', NULL, NULL, 1000, NULL, 'job-7');
                INSERT INTO workflow_runs VALUES (@newer, 'restart-service', 1, 'h1', 'Failed', 'api', '{}', 'Locked', 'Updates are locked', 2000, 2001, NULL);
                INSERT INTO workflow_run_steps VALUES (@older, 1, 'lock', 'AcquireUpdateLocks', 1, 1000, 1001, 'Acquired', '{"message":"took"}', NULL);
                INSERT INTO workflow_run_steps VALUES (@older, 2, 'stop', 'StopService', 2, 1002, NULL, NULL, NULL, NULL);
                INSERT INTO workflow_run_steps VALUES (@newer, 1, 'lock', 'AcquireUpdateLocks', 1, 2000, 2001, 'Locked', NULL, NULL);
                """, new { older, newer });
        }

        await new DatabaseMigrator(database, JournalMigrations.All, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

        using var journal = new WorkflowJournal(database, Options.Create(new JournalOptions()), NullLogger<WorkflowJournal>.Instance);
        var resumed = await journal.GetRunAsync(older);
        Assert.NotNull(resumed);
        Assert.Equal((RunStatus.Running, "reconciler", 1, "{\"a\":1}"), (resumed.Status, resumed.Origin, resumed.WorkflowVersion, resumed.Input.GetRawText()));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), resumed.CreatedAt);
        Assert.Equal([("lock", "Acquired", 1), ("stop", (string?)null, 2)], resumed.Steps.Select(s => (s.ActivityId, s.Outcome, s.Attempt)));
        Assert.Equal("took", resumed.Steps[0].Output!.Value.GetProperty("message").GetString());
        var refused = await journal.GetRunAsync(newer);
        Assert.Equal((RunStatus.Failed, "Locked", "Updates are locked"), (refused!.Status, refused.Reason, refused.Message));

        var (listed, total) = await journal.ListRunsAsync(new RunQuery(PageSize: 10));
        Assert.Equal(2, total);
        Assert.Equal([newer, older], listed.Select(r => r.Id));
        Assert.All(listed, r => Assert.Equal(0, r.Repeats));
        Assert.Empty(resumed.RepeatIds);
        Assert.Equal(older, await journal.FindRunByJobAsync("job-7"));
        Assert.Empty(await journal.ListUnfinishedInlineRunIdsAsync());
    }

    [Fact]
    public async Task The_lean_tables_have_no_rowid_and_still_tie_steps_to_their_run()
    {
        var database = new SupervisorDatabase(Path.Combine(_root, "supervisor.db"));
        await new DatabaseMigrator(database, JournalMigrations.All, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        await using var connection = await database.OpenAsync();

        var tables = (await connection.QueryAsync<(string Name, string Sql)>(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'workflow_run%';")).ToList();
        Assert.Equal(["workflow_run_steps", "workflow_runs"], tables.Select(t => t.Name).Order());
        Assert.All(tables, t => Assert.Contains("WITHOUT ROWID", t.Sql, StringComparison.Ordinal));
        Assert.DoesNotContain("_lean", string.Concat(tables.Select(t => t.Sql)), StringComparison.Ordinal);

        // A step needs its run, and goes with it.
        var orphan = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO workflow_run_steps VALUES ('nobody', 1, 'a', 'Noop', 1, 0, NULL, NULL, NULL, NULL);"));
        Assert.Contains("FOREIGN KEY", orphan.Message, StringComparison.Ordinal);
        await connection.ExecuteAsync("""
            INSERT INTO workflow_definitions VALUES ('h1', 'w', 1, '{}');
            INSERT INTO workflow_runs VALUES ('r1', 'w', 1, 'h1', 'Completed', 'api', '{}', NULL, NULL, 0, 1, NULL, 0, NULL);
            INSERT INTO workflow_run_steps VALUES ('r1', 1, 'a', 'Noop', 1, 0, 1, 'Done', NULL, NULL);
            DELETE FROM workflow_runs WHERE id = 'r1';
            """);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_run_steps;"));
    }
}
