using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;

namespace Supervisor.Host.Api.Logs;

/// <summary>One line a service printed, named as balena's log stream names it.</summary>
public sealed record ServiceLogLine(
    string ContainerId, string ContainerName, string ServiceName, long? ServiceId, string AppUuid, DateTimeOffset Timestamp, string Message, bool IsStdErr)
{
    /// <summary>A line of <paramref name="container"/>, named from the labels the supervisor gave it.</summary>
    public static ServiceLogLine Of(EngineContainer container, ContainerLogLine line)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(line);
        return new ServiceLogLine(
            container.Id,
            container.Name,
            ServiceNameOf(container),
            long.TryParse(container.Labels.GetValueOrDefault(ServiceLabels.BalenaServiceId), out var id) ? id : null,
            AppUuidOf(container),
            line.Timestamp,
            line.Message,
            line.IsStdErr);
    }

    public static string ServiceNameOf(EngineContainer container) =>
        container?.Labels.GetValueOrDefault(ServiceLabels.ServiceName) ?? container?.Name ?? string.Empty;

    public static string AppUuidOf(EngineContainer container) =>
        container?.Labels.GetValueOrDefault(ServiceLabels.AppUuid) ?? string.Empty;
}
