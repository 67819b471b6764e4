using Supervisor.Host.Api;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Host.Api.V2;

/// <summary>
/// balena's state endpoints: <c>GET /v2/applications/state</c> (apps by name), <c>GET /v2/state/status</c> (the
/// apply, containers and images) and the legacy <c>GET /v2/applications/:appId/state</c>.
/// </summary>
public static class ApplicationStateEndpoints
{
    public static RouteGroupBuilder MapApplicationStateApi(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapGet("/applications/state", async (HttpContext context, DeviceStateReader reader, CancellationToken cancellationToken) =>
        {
            var (_, all) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var view = ApiCaller.Of(context).Sees(all);

            // balena keys apps by name; two apps of one name would collide there too, and the first is kept.
            var apps = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var app in view.Apps)
            {
                apps.TryAdd(app.Name, new
                {
                    appId = app.LegacyAppId,
                    appUuid = app.Uuid,
                    commit = app.Commit,
                    targetCommit = app.TargetCommit,
                    updateStatus = app.UpdateStatus,
                    blockedReason = app.BlockedReason,
                    updateError = app.UpdateError,
                    services = app.Services.ToDictionary(s => s.Name, s => new
                    {
                        status = s.Status,
                        image = s.Image,
                        downloadProgress = s.DownloadProgress,
                        releaseId = s.LegacyReleaseId,
                        commit = s.Commit,
                        containerId = s.ContainerId,
                    }, StringComparer.Ordinal),
                });
            }

            return Results.Json(apps);
        })
        .WithName("GetApplicationsState")
        .WithSummary("The state of every app of the target, by app name")
        .WithDescription("Per app: numeric id, uuid, the commit it runs, its update status (done, downloading, downloaded, applying changes, aborted), why it is aborted (updateError) and its services with status, image and download progress.")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status503ServiceUnavailable);

        v2.MapGet("/applications/{appId}/state", async (string appId, HttpContext context, DeviceStateReader reader, CancellationToken cancellationToken) =>
        {
            var (id, error) = LegacyAppIds.Parse(appId);
            if (id is not { } number)
            {
                return RunAnswers.Failed(StatusCodes.Status400BadRequest, error!);
            }

            var (_, view) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var caller = ApiCaller.Of(context);
            if (view.Apps.FirstOrDefault(a => a.LegacyAppId == number) is { } named && !caller.MayActOn(named.Uuid))
            {
                return caller.OutOfScope($"app {number}");
            }

#pragma warning disable CS0618 // The one call of the legacy state: this endpoint exists only to keep balena's numeric-id contract.
            var state = LegacyApplicationState.Of(view, number);
#pragma warning restore CS0618
            return state is null
                ? RunAnswers.Failed(StatusCodes.Status404NotFound, $"Application ID does not exist: no app of the target has the numeric id {number}.")
                : Results.Json(state);
        })
        .WithName("GetLegacyApplicationState")
        .WithSummary("Legacy: one app's state keyed by numeric ids")
        .WithDescription("balena's legacy shape: {commit, local: {appId: {services: {imageId: {status, releaseId, download_progress}}}}}.")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status403Forbidden)
        .Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status503ServiceUnavailable);

        v2.MapGet("/state/status", async (HttpContext context, DeviceStateReader reader, CancellationToken cancellationToken) =>
        {
            var (_, all) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var view = ApiCaller.Of(context).Sees(all);
            var first = view.Apps.Count > 0 ? view.Apps[0] : null;

            // balena reports only the first app here; so do we, so that clients written for it read the same answer.
            return Results.Json(new
            {
                status = "success",
                appState = view.Applying ? "applying" : "applied",
                overallDownloadProgress = view.OverallDownloadProgress,
                containers = view.Containers.Where(c => first is not null && c.AppUuid == first.Uuid).Select(c => new
                {
                    status = c.Status,
                    serviceName = c.ServiceName,
                    appId = c.LegacyAppId,
                    appUuid = c.AppUuid,
                    imageId = c.LegacyImageId,
                    serviceId = c.LegacyServiceId,
                    containerId = c.ContainerId,
                    createdAt = c.CreatedAt,
                    commit = c.Commit,
                }),
                images = view.Images.Where(i => first is not null && i.AppUuid == first.Uuid).Select(i => new
                {
                    name = i.Name,
                    appId = i.LegacyAppId,
                    appUuid = i.AppUuid,
                    serviceName = i.ServiceName,
                    imageId = i.LegacyImageId,
                    dockerImageId = i.DockerImageId,
                    status = i.Status,
                    downloadProgress = i.DownloadProgress,
                    commit = i.Commit,
                }),
                release = first?.Commit,

                // Not in balena's answer (balena tells why only in its logs); additive, so its clients read on.
                updateError = first?.UpdateError,
            });
        })
        .WithName("GetStateStatus")
        .WithSummary("Whether an apply is under way, with the first app's containers and images")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status503ServiceUnavailable);
        return v2;
    }
}
