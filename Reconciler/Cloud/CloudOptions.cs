using Supervisor.Activities.Configuration;

namespace Supervisor.Reconciler.Cloud;

/// <summary>The cloud target-state source, bound from <c>Supervisor:Cloud</c>. Off while <see cref="BaseUrl"/> is empty.</summary>
public sealed class CloudOptions
{
    public const string Section = "Supervisor:Cloud";

    /// <summary>The API, e.g. <c>https://api.example.com</c>.</summary>
    public string? BaseUrl { get; set; }

    public string? DeviceUuid { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>.</summary>
    public string? DeviceKey { get; set; }

    /// <summary>How often the target is polled when all is well (a random jitter is added).</summary>
    [SettingRange("00:00:01", "30.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most random delay added to each poll, so that a fleet does not poll in step.</summary>
    [SettingRange("00:00:00", "1.00:00:00")]
    public TimeSpan MaxJitter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait after the first failed poll; it doubles with each further failure, up to <see cref="PollInterval"/>.</summary>
    [SettingRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one poll may take before it counts as failed.</summary>
    [SettingRange("00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The shortest time between two current-state reports (<c>PATCH {BaseUrl}/device/v3/state</c>).
    /// Changes within it go out together in the next report.
    /// </summary>
    [SettingRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the report is rebuilt when nothing signals a change, to catch what changes behind
    /// the supervisor's back (a container that exits). Only a report that differs is sent.
    /// </summary>
    [SettingRange("00:00:01", "1.00:00:00")]
    public TimeSpan ReportCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(BaseUrl);
}
