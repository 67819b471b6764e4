namespace Supervisor.Activities.Services;

/// <summary>Service settings, bound from the <c>Supervisor</c> section.</summary>
public sealed class ServiceOptions
{
    /// <summary>
    /// The update-lock folders: <c>LockRoot/APP/SERVICE</c> is mounted into each service at
    /// <c>/tmp/balena</c> and <c>/tmp/resin</c>, where the service's own code takes its lock.
    /// </summary>
    public string LockRoot { get; set; } = "/tmp/balena-supervisor/services";
}
