using Supervisor.Activities.Configuration;
using Supervisor.Activities.Timing;

namespace Supervisor.Reconciler.Apply;

/// <summary>The reconcile loop's timing, bound from <c>Supervisor:Reconciler</c>.</summary>
public sealed class ReconcilerOptions
{
    public const string Section = "Supervisor:Reconciler";

    /// <summary>
    /// False pauses applying: targets are still accepted and stored, the plan can still be seen
    /// (<c>GET /v3/plan</c>), but nothing is changed on the device until it is true again (at
    /// the next start). For maintenance, and for tests that set the device up by hand.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the loop compares the device with its target when nothing asks it to. A pass
    /// that finds nothing to do only reads (one container listing, one query).
    /// </summary>
    [SettingRange("00:00:01", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first wait before trying again after an apply that did not bring the device to its target.</summary>
    [SettingRange("00:00:00.100", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts; the wait doubles up to it.</summary>
    [SettingRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An apply running longer than this makes <c>/v1/healthy</c> answer Unhealthy: downloads
    /// included, no apply should take this long on a working device.
    /// </summary>
    [SettingRange("00:00:01", "30.00:00:00")]
    public TimeSpan ApplyStuckAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How many service changes of one apply run at once. Changes wait for those they must follow (the same service,
    /// a service it depends on, the app's networks and volumes, another change that takes the app's update lock; see
    /// <c>ChangePrerequisites</c>); the others run side by side, as balena runs the steps of a pass. 1 runs them one
    /// after another in the plan's order.
    /// </summary>
    [SettingRange(1, 64)]
    public int ParallelServiceChanges { get; set; } = 4;

    /// <summary>
    /// The wait after the <paramref name="attempt"/>-th apply in a row that left the device
    /// short of its target: <c>min(BackoffBase × 2^(attempt-1), BackoffCap)</c>.
    /// </summary>
    public TimeSpan Backoff(int attempt) => new ExponentialBackoff(BackoffBase, BackoffCap).Delay(attempt);
}
