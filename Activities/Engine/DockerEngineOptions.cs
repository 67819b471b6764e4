using Supervisor.Activities.Configuration;

namespace Supervisor.Activities.Engine;

/// <summary>Bound from the <c>Supervisor</c> configuration section.</summary>
public sealed class DockerEngineOptions
{
    /// <summary>The section it is bound from; validation names its keys from it.</summary>
    public const string Section = "Supervisor";

    /// <summary>
    /// The engine endpoint (<c>unix:///path/docker.sock</c> or <c>http://host:port</c>). Empty means
    /// the <c>DOCKER_HOST</c> environment variable, then <c>unix:///var/run/docker.sock</c>.
    /// </summary>
    public string? DockerHost { get; set; }

    /// <summary>
    /// How long a single engine request may take before the engine counts as unreachable. Pulls
    /// are exempt: they stream for as long as the download takes.
    /// </summary>
    [SettingRange("00:00:00.100", "01:00:00")]
    public TimeSpan EngineRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>Applies the documented fallbacks; <paramref name="dockerHostVariable"/> is <c>DOCKER_HOST</c>.</summary>
    public Uri ResolveEndpoint(string? dockerHostVariable)
    {
        var value = !string.IsNullOrWhiteSpace(DockerHost) ? DockerHost
            : !string.IsNullOrWhiteSpace(dockerHostVariable) ? dockerHostVariable
            : DefaultEndpoint;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "http" or "https" or "tcp"))
        {
            throw new InvalidOperationException(
                $"Supervisor:DockerHost \"{value}\" is not an engine endpoint. Expected unix:///path/to/docker.sock or http://host:port.");
        }

        return uri;
    }
}
