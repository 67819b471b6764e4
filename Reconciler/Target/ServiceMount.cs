
namespace Supervisor.Reconciler.Target;

/// <summary>
/// One entry of a service's compose <c>volumes</c>, from either <c>source:target[:ro|rw]</c> or the long object form.
/// </summary>
/// <param name="Source">The volume's name as the release declares it, or an absolute host path for a bind.</param>
/// <param name="Target">The absolute path inside the container.</param>
public sealed record ServiceMount(MountType Type, string Source, string Target, bool ReadOnly = false);
