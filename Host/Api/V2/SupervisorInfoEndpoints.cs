using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Host.Api.V2;

/// <summary><c>GET /v2/version</c> and <c>GET /v2/containerId</c>.</summary>
public static class SupervisorInfoEndpoints
{
    public static RouteGroupBuilder MapSupervisorInfoApi(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapGet("/version", () => Results.Json(new { status = "success", version = SupervisorVersion.BalenaApiLevel, implementationVersion = SupervisorVersion.Current }))
            .WithName("GetVersion")
            .WithSummary("The balena supervisor API level implemented (version) and Supervisor's own version (implementationVersion)")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized);

        v2.MapGet("/containerId", async (string? serviceName, string? service, HttpContext context, DeviceStateReader reader, CancellationToken cancellationToken) =>
        {
            var (_, all) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var view = ApiCaller.Of(context).Sees(all);

            // The target release's container when it exists, else the one an older release still runs.
            var containers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var running in view.Apps.SelectMany(a => a.Services).Where(s => s.ContainerId is not null))
            {
                containers.TryAdd(running.Name, running.ContainerId!);
            }

            var wanted = serviceName ?? service;
            if (string.IsNullOrEmpty(wanted))
            {
                return Results.Json(new { status = "success", services = containers });
            }

            return containers.TryGetValue(wanted, out var id)
                ? Results.Json(new { status = "success", containerId = id })
                : RunAnswers.Failed(StatusCodes.Status404NotFound, $"Could not find service with that name: no container runs a service \"{wanted}\".");
        })
        .WithName("GetContainerId")
        .WithSummary("The container id of a service (?serviceName= or ?service=), or of every service")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status503ServiceUnavailable);
        return v2;
    }
}
