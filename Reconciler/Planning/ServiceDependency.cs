namespace Supervisor.Reconciler.Planning;

/// <summary>
/// In the target, <paramref name="ServiceName"/> of the app waits for <paramref name="DependsOn"/> (its
/// <c>depends_on</c>, or the service whose network it shares): their changes never run side by side.
/// </summary>
public sealed record ServiceDependency(string AppUuid, string ServiceName, string DependsOn);
