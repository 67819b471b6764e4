namespace Supervisor.Activities.Images;

/// <summary>
/// A supervised image as the database records it: one row per image name, app, service and
/// release (commit). It is written only once the engine holds the image under its tag.
/// </summary>
/// <param name="Name">The image as the target names it: <c>repo[:tag][@digest]</c>.</param>
/// <param name="DockerImageId">The engine's id seen when it was recorded; never used to remove anything.</param>
/// <param name="LegacyAppId">Numeric ids from the target state, kept only for the v1/v2 API.</param>
public sealed record ImageRecord(
    long Id,
    string Name,
    string AppUuid,
    string ServiceName,
    string Commit,
    string? DockerImageId,
    DateTimeOffset RecordedAt,
    long? LegacyAppId = null,
    long? LegacyServiceId = null,
    long? LegacyImageId = null,
    long? LegacyReleaseId = null)
{
    public ImageReference Reference => ImageReference.Parse(Name);
}
