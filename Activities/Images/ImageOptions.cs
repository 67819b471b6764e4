using Supervisor.Activities.Configuration;

namespace Supervisor.Activities.Images;

/// <summary>Image settings, bound from <c>Supervisor:Images</c>.</summary>
public sealed class ImageOptions
{
    public const string Section = "Supervisor:Images";

    /// <summary>After n failed fetches of an image the next waits 2^n × this (twice it after the first), as balena does.</summary>
    [SettingRange("00:00:00.010", "01:00:00")]
    public TimeSpan FetchBackoffIncrement { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between fetches of an image that keeps failing.</summary>
    [SettingRange("00:00:00.010", "1.00:00:00")]
    public TimeSpan FetchBackoffCap { get; set; } = TimeSpan.FromMinutes(15);
}
