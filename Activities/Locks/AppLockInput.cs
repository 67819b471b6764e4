using System.ComponentModel;

namespace Supervisor.Activities.Locks;

/// <summary>Which app's locks an activity works on.</summary>
public record AppLockInput
{
    [Description("The app's uuid: it names the app whichever folder its locks are in.")]
    public required string AppUuid { get; init; }

    [Description("Legacy numeric app id, optional: the target's id for the app is used when it has one; it must not name another app.")]
    public long? AppId { get; init; }
}
