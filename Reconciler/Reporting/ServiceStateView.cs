namespace Supervisor.Reconciler.Reporting;

/// <summary>One service of an app's target release, as the device runs it now.</summary>
/// <param name="Status">
/// The container's state in balena's words (<c>Running</c>, <c>Installed</c> for created, <c>exited</c>, <c>Dead</c>,
/// ...), or <c>Downloading</c> / <c>Downloaded</c> while the release has no container for it yet.
/// </param>
/// <param name="Image">The image as the target names it.</param>
/// <param name="Commit">The release of the container reported: the target's, or an older one still there.</param>
/// <param name="DownloadProgress">0–100 while the image downloads; null otherwise.</param>
/// <param name="Environment">The service's environment as the target sets it (without what the supervisor adds).</param>
public sealed record ServiceStateView(
    string Name,
    string Status,
    string Image,
    string Commit,
    int? DownloadProgress,
    string? ContainerId,
    string? DockerImageId,
    DateTimeOffset? CreatedAt,
    IReadOnlyDictionary<string, string> Environment,
    long? LegacyServiceId,
    long? LegacyImageId,
    long? LegacyReleaseId);
