using Supervisor.Activities.Configuration;

namespace Supervisor.Host.Configuration;

/// <summary>Hangfire's settings, bound from <c>Supervisor:Jobs</c>. The defaults suit a small device.</summary>
public sealed class JobOptions
{
    public const string Section = "Supervisor:Jobs";

    /// <summary>Workers of the <c>default</c> queue.</summary>
    [SettingRange(1, 64)]
    public int DefaultWorkers { get; set; } = 2;

    /// <summary>Workers of the <c>fetch</c> queue: how many image downloads run at once.</summary>
    [SettingRange(1, 64)]
    public int FetchWorkers { get; set; } = 3;

    /// <summary>
    /// How often an idle worker looks for a new job. Jobs the supervisor queues wake the workers at once
    /// (<c>StepEngine/QueueWakeUp</c>); the poll is the bound for what Hangfire queues on its own.
    /// </summary>
    [SettingRange("00:00:00.010", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a fetched job stays invisible to other workers. Keep it above the longest job: a
    /// job still running past it would be fetched a second time (the journal makes that harmless,
    /// but it wastes a worker). Crashed jobs do not wait for it: they are requeued at startup.
    /// </summary>
    [SettingRange("00:01:00", "30.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How often recurring (scheduled) runs are checked for being due. Each check writes to
    /// Hangfire's database even when nothing is due (measured idle: ~65 KiB/s at 1 s, ~6 KiB/s at
    /// 15 s, ~1 KiB/s at 1 min), so the default spares a device's flash; a schedule shorter than
    /// this runs at most once per interval (a warning says so).
    /// </summary>
    [SettingRange("00:00:01", "1.00:00:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the journal is swept for runs that nothing will finish (their job ended or is gone,
    /// or was left Processing with no worker because its state could not be written); they are
    /// resumed or ended as Faulted with reason <c>Interrupted</c>. Also swept at start-up and when
    /// an apply ends. A job left Processing is requeued after two sweeps in a row saw it so.
    /// </summary>
    [SettingRange("00:00:01", "1.00:00:00")]
    public TimeSpan StrandedRunSweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
