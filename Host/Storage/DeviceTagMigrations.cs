using Supervisor.Workflows.Storage;

namespace Supervisor.Host.Storage;

public static class DeviceTagMigrations
{
    /// <summary>The device's tags, set through <c>PATCH /v2/device/tags</c> when no cloud keeps them.</summary>
    public static DatabaseMigration Initial { get; } = new(10, "device tags", """
        CREATE TABLE device_tags (
            id    INTEGER PRIMARY KEY,
            name  TEXT NOT NULL UNIQUE,
            value TEXT NOT NULL
        );
        """);
}
