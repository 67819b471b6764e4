using System.ComponentModel;

namespace Supervisor.Activities.Locks;

/// <summary>Which app's locks an activity works on.</summary>
public record AppLockInput
{
    [Description("The app's uuid.")]
    public required string AppUuid { get; init; }

    [Description("Legacy numeric app id: names the lock folder, as balena does; the app uuid when absent.")]
    public long? AppId { get; init; }

    internal string AppKey => AppId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? AppUuid;
}
