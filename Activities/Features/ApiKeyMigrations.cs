using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Features;

public static class ApiKeyMigrations
{
    /// <summary>
    /// The API keys given to services (<c>io.balena.features.supervisor-api</c>), one per service of an app, each
    /// scoped to its app: kept so that a container keeps a key that works across supervisor restarts.
    /// </summary>
    public static DatabaseMigration Initial { get; } = new(9, "service api keys", """
        CREATE TABLE service_api_keys (
            app_uuid     TEXT NOT NULL,
            service_name TEXT NOT NULL,
            app_id       INTEGER,
            key          TEXT NOT NULL UNIQUE,
            created_at   INTEGER NOT NULL,
            PRIMARY KEY (app_uuid, service_name)
        );
        """);
}
