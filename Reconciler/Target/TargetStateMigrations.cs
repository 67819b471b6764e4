using Supervisor.Workflows.Storage;

namespace Supervisor.Reconciler.Target;

public static class TargetStateMigrations
{
    /// <summary>
    /// The accepted target: one row, the document as received, so that a device restarted
    /// without network still knows what it should run.
    /// </summary>
    public static DatabaseMigration Initial { get; } = new(3, "target state", """
        CREATE TABLE target_state (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            json        TEXT NOT NULL,
            source      TEXT NOT NULL,
            accepted_at INTEGER NOT NULL
        );
        """);
}
