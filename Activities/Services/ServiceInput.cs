using System.ComponentModel;

namespace Supervisor.Activities.Services;

/// <summary>Which service an activity acts on: an app's service, optionally of one release.</summary>
public record ServiceInput
{
    [Description("The app's uuid.")]
    public required string AppUuid { get; init; }

    [Description("The service's name in the release.")]
    public required string ServiceName { get; init; }

    [Description("Only the container of this release (commit); empty for any release.")]
    public string? Commit { get; init; }
}
