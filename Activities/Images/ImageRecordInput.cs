using System.ComponentModel;

namespace Supervisor.Activities.Images;

/// <summary>An image for one service of one release: what identifies a row of the image store.</summary>
public record ImageRecordInput : ImageInput
{
    [Description("The app's uuid.")]
    public required string AppUuid { get; init; }

    [Description("The service's name in the release.")]
    public required string ServiceName { get; init; }

    [Description("The release's commit.")]
    public required string Commit { get; init; }
}
