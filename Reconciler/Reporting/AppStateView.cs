namespace Supervisor.Reconciler.Reporting;

/// <summary>One app of the target, as the device runs it now.</summary>
/// <param name="Commit">The release the app runs now: the target's once done, else that of its newest running container; null with no container.</param>
/// <param name="TargetCommit">The release the app should run; null when the target gives it none.</param>
/// <param name="LegacyReleaseId">The target release's numeric id, for the v1/v2 API.</param>
/// <param name="UpdateStatus">One of <see cref="Reconciler.UpdateStatus"/>.</param>
/// <param name="BlockedReason">Why the last pass left the app alone ("updates locked"), or null.</param>
/// <param name="UpdateError">
/// While the app is <see cref="Reconciler.UpdateStatus.Aborted"/>: why, as the failed download or step of this app
/// gave it ("dial tcp ...: connection refused"), else the apply's own error (another app's failure stopped it
/// before this app's turn); null otherwise.
/// </param>
/// <param name="Services">The target release's services, in release order.</param>
public sealed record AppStateView(
    string Uuid,
    string Name,
    long? LegacyAppId,
    string? Commit,
    string? TargetCommit,
    long? LegacyReleaseId,
    string UpdateStatus,
    string? BlockedReason,
    string? UpdateError,
    IReadOnlyList<ServiceStateView> Services);
