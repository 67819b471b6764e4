namespace Supervisor.Activities.Services;

/// <summary>
/// The apps of the accepted target, as the activities need to know them: which apps a volume or a
/// lock folder may belong to. The reconciler owns the target and implements this; the activities
/// only read it, so that they depend on no part of the reconciler.
/// </summary>
public interface ITargetedApps
{
    /// <summary>The apps of the accepted target, or none when no target has been accepted yet.</summary>
    Task<IReadOnlyList<TargetedApp>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The device's uuid and name as the accepted target gives them, or null when no target has been accepted yet.</summary>
    Task<TargetedDevice?> DeviceAsync(CancellationToken cancellationToken);
}
