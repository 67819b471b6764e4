using Supervisor.Host.Api;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Host.Api.V1;

/// <summary>
/// balena's v1 reads: <c>GET /v1/apps/:appId</c> (a single-service app's container) and <c>GET /v1/device</c>
/// (the device's update state; the host OS fields are null, host OS support being out of scope).
/// </summary>
public static class LegacyDeviceEndpoints
{
    private const int DefaultApiPort = 48484;

    public static RouteGroupBuilder MapLegacyDeviceApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/apps/{appId}", async (string appId, HttpContext context, DeviceStateReader reader, CancellationToken cancellationToken) =>
        {
            var (id, error) = LegacyAppIds.Parse(appId);
            if (id is not { } number)
            {
                return RunAnswers.Failed(StatusCodes.Status400BadRequest, error!);
            }

            var (_, view) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (view.Apps.FirstOrDefault(a => a.LegacyAppId == number) is not { } app)
            {
                return RunAnswers.Failed(StatusCodes.Status404NotFound, $"App not found: no app of the target has the numeric id {number}.");
            }

            var caller = ApiCaller.Of(context);
            if (!caller.MayActOn(app.Uuid))
            {
                return caller.OutOfScope($"app {number}");
            }

            if (app.Services.Count != 1)
            {
                return RunAnswers.Failed(StatusCodes.Status400BadRequest,
                    $"Some v1 endpoints are only allowed on single-container apps: app {number} has {app.Services.Count} services; use the v2 endpoints.");
            }

            var service = app.Services[0];
            return Results.Json(new
            {
                appId = number,
                commit = app.Commit,
                containerId = service.ContainerId,
                env = service.Environment,
                imageId = service.DockerImageId,
                releaseId = service.LegacyReleaseId,
                serviceName = service.Name,
            });
        })
        .WithName("GetLegacyApp")
        .WithSummary("A single-service app: its container, image, release and environment")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status503ServiceUnavailable);

        v1.MapGet("/device", async (HttpRequest request, DeviceStateReader reader, CancellationToken cancellationToken) =>
        {
            var (_, view) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);

            // balena describes the device by its first app's first service, and calls a running one idle.
            var first = view.Apps.Count > 0 ? view.Apps[0] : null;
            var service = first is { Services.Count: > 0 } ? first.Services[0] : null;
            var failed = view.Apps.Where(a => a.UpdateError is not null).ToList();
            return Results.Json(new
            {
                api_port = request.Host.Port ?? DefaultApiPort,
                ip_address = (string?)null,
                mac_address = (string?)null,
                os_version = (string?)null,
                supervisor_version = SupervisorVersion.BalenaApiLevel,
                // Applying covers what no app's status shows: an app the target dropped whose containers are still there.
                update_pending = view.Applying || view.Apps.Any(a => a.UpdateStatus != UpdateStatus.Done),
                update_downloaded = view.Apps.Any(a => a.UpdateStatus is UpdateStatus.Downloaded or UpdateStatus.ApplyingChanges),
                update_failed = view.Apps.Any(a => a.UpdateStatus == UpdateStatus.Aborted),

                // Why update_failed, which balena does not say here; with several failed apps, each named.
                update_error = failed.Count switch
                {
                    0 => null,
                    1 => failed[0].UpdateError,
                    _ => string.Join("; ", failed.Select(a => $"{a.Name}: {a.UpdateError}")),
                },
                commit = first?.Commit,
                status = service?.Status == "Running" ? "Idle" : service?.Status,
                download_progress = service?.DownloadProgress,
            });
        })
        .WithName("GetLegacyDevice")
        .WithSummary("The device's update state (host OS fields are null: host OS support is out of scope)")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }
}
