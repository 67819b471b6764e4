namespace Supervisor.Reconciler.Target;

/// <summary>
/// One entry of a service's compose <c>volumes</c>, from either <c>source:target[:ro|rw]</c> or the long object form:
/// always a named volume, since a release cannot mount the device's host.
/// </summary>
/// <param name="Source">The volume's name as the release declares it.</param>
/// <param name="Target">The absolute path inside the container.</param>
public sealed record ServiceMount(string Source, string Target, bool ReadOnly = false);
