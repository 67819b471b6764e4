namespace Supervisor.Reconciler.Reporting;

/// <summary>A supervised container, of the target release or an older one, with the numeric ids the v2 API speaks.</summary>
/// <param name="Status">The engine's state in balena's words (see <see cref="ServiceStateView.Status"/>).</param>
public sealed record ContainerStateView(
    string ContainerId,
    string AppUuid,
    string ServiceName,
    string Commit,
    string Status,
    string DockerImageId,
    DateTimeOffset CreatedAt,
    long? LegacyAppId,
    long? LegacyServiceId,
    long? LegacyImageId,
    long? LegacyReleaseId);
