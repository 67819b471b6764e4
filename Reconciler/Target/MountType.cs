
namespace Supervisor.Reconciler.Target;

/// <summary>
/// What a service mounts. A host path is never one: a release cannot mount the device's host. Anonymous volumes and
/// tmpfs mounts join here when the service model does.
/// </summary>
public enum MountType
{
    /// <summary>A named volume declared in the release's <c>volumes</c>.</summary>
    Volume,
}
