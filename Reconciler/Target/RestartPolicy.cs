namespace Supervisor.Reconciler.Target;

/// <summary>
/// A service's compose <c>restart</c>. balena defaults it to <see cref="Always"/>, not compose's <c>no</c>: a device
/// has nobody at hand to start a service again after it exits.
/// </summary>
public enum RestartPolicy
{
    No,
    Always,
    UnlessStopped,
    OnFailure,
}
