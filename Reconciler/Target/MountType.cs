
namespace Supervisor.Reconciler.Target;

public enum MountType
{
    /// <summary>A named volume declared in the release's <c>volumes</c>.</summary>
    Volume,

    /// <summary>A host path bound into the container.</summary>
    Bind,
}
