namespace Supervisor.Activities.Locks;

/// <summary>
/// The folders under the lock root that hold one app's update locks. <see cref="Primary"/> is the
/// folder its services mount (where the supervisor takes its own locks); <see cref="All"/> starts
/// with it and adds every other name the app may have had a folder under (its uuid, a numeric id
/// its containers were created with), because a user's lock in any of them is the app's lock.
/// </summary>
public sealed record AppLockKeys(string AppUuid, string Primary, IReadOnlyList<string> All);
