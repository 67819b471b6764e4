namespace Supervisor.Reconciler.Reporting;

/// <summary>
/// An image of a service and release: recorded (<c>Downloaded</c>), or wanted by the target and not recorded yet
/// (<c>Downloading</c>, with its progress when a fetch reports one).
/// </summary>
public sealed record ImageStateView(
    string Name,
    string AppUuid,
    string ServiceName,
    string Commit,
    string? DockerImageId,
    string Status,
    int? DownloadProgress,
    long? LegacyAppId,
    long? LegacyServiceId,
    long? LegacyImageId,
    long? LegacyReleaseId);
