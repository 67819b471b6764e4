using Supervisor.Activities.Configuration;

namespace Supervisor.Activities.Services;

/// <summary>Service settings, bound from the <c>Supervisor</c> section.</summary>
public sealed class ServiceOptions
{
    /// <summary>The section it is bound from; validation names its keys from it.</summary>
    public const string Section = "Supervisor";

    /// <summary>
    /// The update-lock folders: <c>LockRoot/APP/SERVICE</c> is mounted into each service at
    /// <c>/tmp/balena</c> and <c>/tmp/resin</c>, where the service's own code takes its lock.
    /// </summary>
    [SettingRequired]
    public string LockRoot { get; set; } = "/tmp/balena-supervisor/services";

    /// <summary>
    /// This supervisor's name on the engine, written on every container it creates
    /// (<c>io.supervisor.instance</c>). The reconciler only ever sees and removes containers of its
    /// own instance, so two supervisors (or test hosts) sharing one engine never take each
    /// other's containers for leftovers.
    /// </summary>
    [SettingRequired]
    public string Instance { get; set; } = "default";

    /// <summary>
    /// The device type given to services as <c>BALENA_DEVICE_TYPE</c> (balena's slug, such as
    /// <c>raspberrypi4-64</c>); empty for <c>generic-</c> and the architecture, balena's generic images.
    /// </summary>
    public string? DeviceType { get; set; }

    /// <summary>The device type: the configured one, or <c>generic-&lt;arch&gt;</c>.</summary>
    public string EffectiveDeviceType => string.IsNullOrWhiteSpace(DeviceType) ? $"generic-{DeviceArchitecture.Current}" : DeviceType;
}
