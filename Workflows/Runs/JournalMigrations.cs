using Supervisor.Workflows.Storage;

namespace Supervisor.Workflows.Runs;

/// <summary>The journal's schema. Times are Unix milliseconds (UTC).</summary>
public static class JournalMigrations
{
    /// <summary>Every migration of the journal, oldest first.</summary>
    public static IReadOnlyList<DatabaseMigration> All => [Initial, Lean, Repeats, EveryRunItsOwnRow, RefusalCounts];

    public static DatabaseMigration Initial { get; } = new(1, "workflow journal", """
        CREATE TABLE workflow_definitions (
            content_hash TEXT PRIMARY KEY,
            workflow_id  TEXT NOT NULL,
            version      INTEGER NOT NULL,
            content      TEXT NOT NULL
        );
        CREATE TABLE workflow_runs (
            id            TEXT PRIMARY KEY,
            workflow_id   TEXT NOT NULL,
            version       INTEGER NOT NULL,
            content_hash  TEXT NOT NULL REFERENCES workflow_definitions (content_hash),
            status        TEXT NOT NULL,
            origin        TEXT NOT NULL,
            input         TEXT NOT NULL,
            reason        TEXT,
            message       TEXT,
            created_at    INTEGER NOT NULL,
            ended_at      INTEGER,
            job_id        TEXT UNIQUE
        );
        CREATE INDEX ix_workflow_runs_created ON workflow_runs (created_at DESC);
        CREATE INDEX ix_workflow_runs_workflow ON workflow_runs (workflow_id, created_at DESC);
        CREATE INDEX ix_workflow_runs_status ON workflow_runs (status);
        CREATE TABLE workflow_run_steps (
            run_id        TEXT NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
            seq           INTEGER NOT NULL,
            activity_id   TEXT NOT NULL,
            activity_type TEXT NOT NULL,
            attempt       INTEGER NOT NULL,
            started_at    INTEGER NOT NULL,
            ended_at      INTEGER,
            outcome       TEXT,
            output        TEXT,
            error         TEXT,
            PRIMARY KEY (run_id, seq)
        );
        """);

    /// <summary>
    /// The run tables without rowids (a row lives in its key's b-tree only) and with only the
    /// indexes a query uses: runs are listed newest first by id (a version-7 id sorts as its
    /// creation time does), unfinished runs and job ids are indexed partially, so that a run written
    /// ended with two steps, as every run refused by a check is, makes four b-tree inserts instead of ten.
    /// </summary>
    /// <remarks>
    /// SQLite cannot add WITHOUT ROWID to a table, so both are rebuilt. The new steps table
    /// refers to the new runs table from the start: dropping the old runs table (which, with
    /// foreign keys on, deletes its rows first) then cascades to nothing.
    /// </remarks>
    public static DatabaseMigration Lean { get; } = new(5, "lean workflow journal", """
        CREATE TABLE workflow_runs_lean (
            id            TEXT PRIMARY KEY,
            workflow_id   TEXT NOT NULL,
            version       INTEGER NOT NULL,
            content_hash  TEXT NOT NULL REFERENCES workflow_definitions (content_hash),
            status        TEXT NOT NULL,
            origin        TEXT NOT NULL,
            input         TEXT NOT NULL,
            reason        TEXT,
            message       TEXT,
            created_at    INTEGER NOT NULL,
            ended_at      INTEGER,
            job_id        TEXT
        ) WITHOUT ROWID;
        INSERT INTO workflow_runs_lean SELECT id, workflow_id, version, content_hash, status, origin, input, reason, message, created_at, ended_at, job_id FROM workflow_runs;
        CREATE TABLE workflow_run_steps_lean (
            run_id        TEXT NOT NULL REFERENCES workflow_runs_lean (id) ON DELETE CASCADE,
            seq           INTEGER NOT NULL,
            activity_id   TEXT NOT NULL,
            activity_type TEXT NOT NULL,
            attempt       INTEGER NOT NULL,
            started_at    INTEGER NOT NULL,
            ended_at      INTEGER,
            outcome       TEXT,
            output        TEXT,
            error         TEXT,
            PRIMARY KEY (run_id, seq)
        ) WITHOUT ROWID;
        INSERT INTO workflow_run_steps_lean SELECT run_id, seq, activity_id, activity_type, attempt, started_at, ended_at, outcome, output, error FROM workflow_run_steps;
        DROP TABLE workflow_run_steps;
        DROP TABLE workflow_runs;
        ALTER TABLE workflow_runs_lean RENAME TO workflow_runs;
        ALTER TABLE workflow_run_steps_lean RENAME TO workflow_run_steps;
        CREATE INDEX ix_workflow_runs_workflow ON workflow_runs (workflow_id);
        CREATE INDEX ix_workflow_runs_unfinished ON workflow_runs (status) WHERE status IN ('Pending', 'Running');
        CREATE UNIQUE INDEX ix_workflow_runs_job ON workflow_runs (job_id) WHERE job_id IS NOT NULL;
        """);

    /// <summary>
    /// Repeats (removed by <see cref="EveryRunItsOwnRow"/>): a run written behind that was the same
    /// as one written up to a minute before it, but for its id and times, was recorded on that run,
    /// by id, instead of as a row of its own. Kept so that a database written under it migrates.
    /// </summary>
    public static DatabaseMigration Repeats { get; } = new(6, "repeated workflow runs", """
        ALTER TABLE workflow_runs ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workflow_runs ADD COLUMN repeat_ids TEXT;
        """);

    /// <summary>
    /// Every run its own row again: each id a run recorded as its repeat becomes a run of its own,
    /// a copy of the run it was folded into (its status, reason, input and steps, which folding
    /// required to be the same) with that run's times, the only ones kept; then the columns go.
    /// A repeat's id answered that run before, times included, so nothing shown before is lost,
    /// and from here on an id answers the run with that id.
    /// </summary>
    /// <remarks>
    /// <c>repeat_ids</c> is a comma-separated list; the recursive <c>split</c> takes one id off it
    /// per step. It is written out in each statement because a CTE lasts one statement.
    /// </remarks>
    public static DatabaseMigration EveryRunItsOwnRow { get; } = new(7, "every workflow run its own row", """
        WITH RECURSIVE split(run_id, rest, repeat_id) AS (
            SELECT id, repeat_ids || ',', NULL FROM workflow_runs WHERE repeat_ids IS NOT NULL AND repeat_ids <> ''
            UNION ALL
            SELECT run_id, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1) FROM split WHERE rest <> ''
        )
        INSERT OR IGNORE INTO workflow_runs (id, workflow_id, version, content_hash, status, origin, input, reason, message, created_at, ended_at, job_id)
        SELECT s.repeat_id, r.workflow_id, r.version, r.content_hash, r.status, r.origin, r.input, r.reason, r.message, r.created_at, r.ended_at, NULL
        FROM split s JOIN workflow_runs r ON r.id = s.run_id WHERE s.repeat_id IS NOT NULL AND s.repeat_id <> '';
        WITH RECURSIVE split(run_id, rest, repeat_id) AS (
            SELECT id, repeat_ids || ',', NULL FROM workflow_runs WHERE repeat_ids IS NOT NULL AND repeat_ids <> ''
            UNION ALL
            SELECT run_id, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1) FROM split WHERE rest <> ''
        )
        INSERT OR IGNORE INTO workflow_run_steps (run_id, seq, activity_id, activity_type, attempt, started_at, ended_at, outcome, output, error)
        SELECT s.repeat_id, t.seq, t.activity_id, t.activity_type, t.attempt, t.started_at, t.ended_at, t.outcome, t.output, t.error
        FROM split s JOIN workflow_run_steps t ON t.run_id = s.run_id WHERE s.repeat_id IS NOT NULL AND s.repeat_id <> '';
        ALTER TABLE workflow_runs DROP COLUMN repeat_ids;
        ALTER TABLE workflow_runs DROP COLUMN repeats;
        """);

    /// <summary>
    /// Refused runs counted: per workflow, reason and minute of creation, how many runs were
    /// refused without changing anything (<c>count</c>, the kept one included) and the first of
    /// them, kept in full (<c>kept_run_id</c>); the others are not written (<see cref="RefusalTally"/>).
    /// </summary>
    public static DatabaseMigration RefusalCounts { get; } = new(8, "refused workflow run counts", """
        CREATE TABLE refused_run_counts (
            workflow_id  TEXT NOT NULL,
            reason       TEXT NOT NULL,
            minute       INTEGER NOT NULL,
            count        INTEGER NOT NULL,
            kept_run_id  TEXT,
            PRIMARY KEY (minute, workflow_id, reason)
        ) WITHOUT ROWID;
        """);
}
