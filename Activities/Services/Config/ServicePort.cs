namespace Supervisor.Activities.Services.Config;

/// <summary>One container port published on the host, as balena maps <c>[[ip:]host:]container[/protocol]</c>.</summary>
/// <param name="HostPort">The host's port; balena publishes a port given alone on the same host port.</param>
/// <param name="HostIp">The host address to bind; null for every address.</param>
public sealed record ServicePort(int ContainerPort, int HostPort, string Protocol = "tcp", string? HostIp = null);
