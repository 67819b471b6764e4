namespace Supervisor.Workflows.Activities;

/// <summary>
/// Marks an activity whose effect does not survive a restart of the program (an update lock: the
/// startup recovery removes the lock files a crashed process held). When a run interrupted by a
/// crash resumes, the runner first runs the last completed activity of each such type again, so
/// that the rest of the run never goes on without what it took. If the second execution ends with
/// another outcome (the lock is now held by a user), the run follows that outcome instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RerunOnResumeAttribute : Attribute;
