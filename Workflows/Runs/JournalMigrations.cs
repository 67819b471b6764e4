using Supervisor.Workflows.Storage;

namespace Supervisor.Workflows.Runs;

/// <summary>The journal's schema. Times are Unix milliseconds (UTC).</summary>
public static class JournalMigrations
{
    /// <summary>Every migration of the journal, oldest first.</summary>
    public static IReadOnlyList<DatabaseMigration> All => [Initial, Lean, Repeats];

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
    /// Repeats: a run written behind (it ended before changing anything) that is the same as one
    /// written up to a minute before it (same definition, input, end and steps; only its id and
    /// times differ) is recorded on that run, by id, instead of as a row and steps of its own.
    /// Fifty apps asking to restart a locked service thus cost the journal one run, not fifty.
    /// </summary>
    public static DatabaseMigration Repeats { get; } = new(6, "repeated workflow runs", """
        ALTER TABLE workflow_runs ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workflow_runs ADD COLUMN repeat_ids TEXT;
        """);
}
