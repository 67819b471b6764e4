using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Locks;

public static class LockMigrations
{
    /// <summary>
    /// The lock files the supervisor itself created. A lock file is a lock file whoever made it;
    /// this record is how the supervisor tells its own (to clean up after a crash) from a user's
    /// (which it never removes unless forced). <c>app_key</c> is the uuid of the app the lock was
    /// taken for (the file's path names its folder), so that it is given back whichever id named the app.
    /// </summary>
    public static DatabaseMigration Initial { get; } = new(4, "supervisor update locks", """
        CREATE TABLE supervisor_locks (
            path       TEXT PRIMARY KEY,
            app_key    TEXT NOT NULL,
            run_id     TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        """);
}
