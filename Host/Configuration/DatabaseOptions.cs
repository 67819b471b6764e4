using Supervisor.Activities.Configuration;

namespace Supervisor.Host.Configuration;

/// <summary>How the supervisor treats a damaged database, bound from <c>Supervisor:Database</c> (see docs/operations.md).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Supervisor:Database";

    /// <summary>
    /// At start-up, a <c>supervisor.db</c> that fails its integrity check is moved aside (kept
    /// beside it, named <c>.damaged-TIME</c>) and the host starts with a new one, so that a
    /// remote device gets back to work without a visit. False: the host refuses to start instead,
    /// for an operator who would rather repair or restore the file.
    /// </summary>
    public bool MoveDamagedAside { get; set; } = true;

    /// <summary>
    /// How often <c>/v1/healthy</c> reruns the integrity check of <c>supervisor.db</c> (it reads the
    /// whole file), and how long a failed write keeps the device unhealthy. A database failure seen
    /// by the API makes the next health check look again at once.
    /// </summary>
    [SettingRange("00:00:01", "1.00:00:00")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
