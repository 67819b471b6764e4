namespace Supervisor.Activities.Images;

/// <summary>Image settings, bound from <c>Supervisor:Images</c>.</summary>
public sealed class ImageOptions
{
    public const string Section = "Supervisor:Images";

    /// <summary>The first wait after a failed fetch; it doubles with each further failure of the same image.</summary>
    public TimeSpan FetchBackoffIncrement { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between fetches of an image that keeps failing.</summary>
    public TimeSpan FetchBackoffCap { get; set; } = TimeSpan.FromMinutes(15);
}
