using Supervisor.Workflows.Storage;

namespace Supervisor.Workflows.Runs;

/// <summary>The journal's schema. Times are Unix milliseconds (UTC).</summary>
public static class JournalMigrations
{
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
}
