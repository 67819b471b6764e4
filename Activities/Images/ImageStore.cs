using Dapper;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Images;

/// <summary>The supervised images in the supervisor database.</summary>
public sealed class ImageStore(SupervisorDatabase database, TimeProvider time)
{
    /// <summary>
    /// Records an image for a service and release, or refreshes the engine id of the row that
    /// already records it: recording twice leaves one row (activities run again after a crash).
    /// </summary>
    public async Task<ImageRecord> RecordAsync(ImageRecord image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO images (name, app_uuid, service_name, commit_id, docker_image_id, recorded_at,
                                legacy_app_id, legacy_service_id, legacy_image_id, legacy_release_id)
            VALUES (@Name, @AppUuid, @ServiceName, @Commit, @DockerImageId, @recordedAt,
                    @LegacyAppId, @LegacyServiceId, @LegacyImageId, @LegacyReleaseId)
            ON CONFLICT (name, app_uuid, service_name, commit_id) DO UPDATE SET
                docker_image_id = excluded.docker_image_id,
                legacy_app_id = excluded.legacy_app_id,
                legacy_service_id = excluded.legacy_service_id,
                legacy_image_id = excluded.legacy_image_id,
                legacy_release_id = excluded.legacy_release_id;
            """,
            new
            {
                image.Name,
                image.AppUuid,
                image.ServiceName,
                image.Commit,
                image.DockerImageId,
                recordedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
                image.LegacyAppId,
                image.LegacyServiceId,
                image.LegacyImageId,
                image.LegacyReleaseId,
            }).ConfigureAwait(false);
        return (await FindAsync(image.Name, image.AppUuid, image.ServiceName, image.Commit, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<ImageRecord?> FindAsync(string name, string appUuid, string serviceName, string commit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ImageRow>(
            "SELECT * FROM images WHERE name = @name AND app_uuid = @appUuid AND service_name = @serviceName AND commit_id = @commit;",
            new { name, appUuid, serviceName, commit }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ImageRow>("SELECT * FROM images ORDER BY id;").ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Deletes one row; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string name, string appUuid, string serviceName, string commit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "DELETE FROM images WHERE name = @name AND app_uuid = @appUuid AND service_name = @serviceName AND commit_id = @commit;",
            new { name, appUuid, serviceName, commit }).ConfigureAwait(false) > 0;
    }

    /// <summary>Deletes rows by id, in one transaction (checkups drop many at once).</summary>
    public async Task<int> DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await connection.ExecuteAsync("DELETE FROM images WHERE id = @id;", ids.Select(id => new { id }), transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    // Mapped by Dapper from the columns' snake_case names.
    private sealed record ImageRow(
        long id, string name, string app_uuid, string service_name, string commit_id, string? docker_image_id, long recorded_at,
        long? legacy_app_id, long? legacy_service_id, long? legacy_image_id, long? legacy_release_id)
    {
        public ImageRecord ToRecord() => new(
            id, name, app_uuid, service_name, commit_id, docker_image_id, DateTimeOffset.FromUnixTimeMilliseconds(recorded_at),
            legacy_app_id, legacy_service_id, legacy_image_id, legacy_release_id);
    }
}
