using System.ComponentModel;

namespace Supervisor.Activities.Services;

/// <summary>Which app an app-wide activity acts on: every container the supervisor runs for it, whatever the release.</summary>
public record AppServicesInput
{
    [Description("The app's uuid.")]
    public required string AppUuid { get; init; }

    [Description("How long each service may take to stop before it is killed (hh:mm:ss).")]
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
