using System.ComponentModel;

namespace Supervisor.Activities.Images;

/// <summary>The image an activity works on, as the target names it.</summary>
public record ImageInput
{
    [Description("The image as the target names it: [registry[:port]/]path[:tag][@sha256:digest].")]
    public required string Image { get; init; }
}
