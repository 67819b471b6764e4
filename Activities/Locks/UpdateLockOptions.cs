using Supervisor.Activities.Configuration;

namespace Supervisor.Activities.Locks;

/// <summary>Update-lock settings, bound from the <c>Supervisor</c> section.</summary>
public sealed class UpdateLockOptions
{
    /// <summary>The section it is bound from; validation names its keys from it.</summary>
    public const string Section = "Supervisor";

    /// <summary>Act as if every action had <c>force</c>: users' locks of the services an action touches are removed.</summary>
    public bool OverrideLocks { get; set; }

    /// <summary>
    /// How long an action waits for another supervisor operation on the same app before its run
    /// fails <c>Busy</c> (503). balena waits the same 10 s (<c>withLock</c>'s <c>maxWaitMs</c>).
    /// </summary>
    [SettingRange("00:00:00", "00:10:00")]
    public TimeSpan AppLockWait { get; set; } = TimeSpan.FromSeconds(10);
}
