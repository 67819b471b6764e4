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
            INSERT INTO workflow_runs VALUES ('r1', 'w', 1, 'h1', 'Completed', 'api', '{}', NULL, NULL, 0, 1, NULL);
            INSERT INTO workflow_run_steps VALUES ('r1', 1, 'a', 'Noop', 1, 0, 1, 'Done', NULL, NULL);
            DELETE FROM workflow_runs WHERE id = 'r1';
            """);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_run_steps;"));
    }

    [Fact]
    public async Task Runs_folded_as_repeats_become_runs_of_their_own_with_their_ids_and_the_repeat_columns_go()
    {
        var database = new SupervisorDatabase(Path.Combine(_root, "supervisor.db"));
        await new DatabaseMigrator(database, [JournalMigrations.Initial, JournalMigrations.Lean, JournalMigrations.Repeats], NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        const string first = "01a0000000007000800000000000000a";
        const string repeat1 = "01a0000000017000800000000000000b";
        const string repeat2 = "01a0000000027000800000000000000c";
        const string alone = "01a0000000037000800000000000000d";
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO workflow_definitions VALUES ('h1', 'restart-service', 1, '{}');
                INSERT INTO workflow_runs VALUES (@first, 'restart-service', 1, 'h1', 'Failed', 'api', '{"s":"main"}', 'Locked', 'Updates are locked', 1000, 1002, NULL, 2, @repeats);
                INSERT INTO workflow_runs VALUES (@alone, 'restart-service', 1, 'h1', 'Completed', 'api', '{}', NULL, NULL, 3000, 3001, NULL, 0, NULL);
                INSERT INTO workflow_run_steps VALUES (@first, 1, 'lock', 'AcquireUpdateLocks', 1, 1000, 1001, 'Locked', '{"message":"held"}', NULL);
                INSERT INTO workflow_run_steps VALUES (@first, 2, 'locked', 'Fail', 1, 1001, 1002, NULL, NULL, NULL);
                INSERT INTO workflow_run_steps VALUES (@alone, 1, 'lock', 'AcquireUpdateLocks', 1, 3000, 3001, 'Acquired', NULL, NULL);
                """, new { first, alone, repeats = repeat1 + "," + repeat2 });
        }

        await new DatabaseMigrator(database, JournalMigrations.All, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

        using var journal = new WorkflowJournal(database, Options.Create(new JournalOptions()), NullLogger<WorkflowJournal>.Instance);
        var (listed, total) = await journal.ListRunsAsync(new RunQuery(PageSize: 10));
        Assert.Equal(4, total);
        Assert.Equal([alone, repeat2, repeat1, first], listed.Select(r => r.Id));
        foreach (var id in new[] { first, repeat1, repeat2 })
        {
            var run = await journal.GetRunAsync(id);
            Assert.NotNull(run);
            Assert.Equal(id, run.Id);
            Assert.Equal((RunStatus.Failed, "Locked", "{\"s\":\"main\"}"), (run.Status, run.Reason, run.Input.GetRawText()));
            Assert.Equal((DateTimeOffset.FromUnixTimeMilliseconds(1000), DateTimeOffset.FromUnixTimeMilliseconds(1002)), (run.CreatedAt, run.EndedAt));
            Assert.Equal([("lock", "Locked"), ("locked", (string?)null)], run.Steps.Select(s => (s.ActivityId, s.Outcome)));
            Assert.Equal("held", run.Steps[0].Output!.Value.GetProperty("message").GetString());
        }

        Assert.Single((await journal.GetRunAsync(alone))!.Steps);
        await using var check = await database.OpenAsync();
        var columns = (await check.QueryAsync<string>("SELECT name FROM pragma_table_info('workflow_runs');")).ToList();
        Assert.DoesNotContain("repeats", columns);
        Assert.DoesNotContain("repeat_ids", columns);
    }
}
