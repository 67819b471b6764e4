using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Images;

public static class ImageMigrations
{
    /// <summary>
    /// The image store. The unique key is what identifies a supervised image (name, app, service,
    /// release), so the same image for the same service and release cannot be recorded twice.
    /// </summary>
    public static DatabaseMigration Initial { get; } = new(2, "image store", """
        CREATE TABLE images (
            id                INTEGER PRIMARY KEY,
            name              TEXT NOT NULL,
            app_uuid          TEXT NOT NULL,
            service_name      TEXT NOT NULL,
            commit_id         TEXT NOT NULL,
            docker_image_id   TEXT,
            recorded_at       INTEGER NOT NULL,
            legacy_app_id     INTEGER,
            legacy_service_id INTEGER,
            legacy_image_id   INTEGER,
            legacy_release_id INTEGER,
            UNIQUE (name, app_uuid, service_name, commit_id)
        );
        CREATE INDEX ix_images_name ON images (name);
        """);
}
