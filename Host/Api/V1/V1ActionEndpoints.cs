using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Configuration;
using Supervisor.Reconciler.Apply;

namespace Supervisor.Host.Api.V1;

/// <summary>
/// balena's v1 actions: <c>restart</c> and <c>purge</c> of an app named in the body, <c>stop</c>
/// and <c>start</c> of a single-service app named in the path, and <c>update</c>, which asks the
/// reconciler for a pass. Answers keep balena's v1 shapes (text <c>OK</c>, <c>{Data, Error}</c>,
/// <c>{containerId}</c>).
/// </summary>
public static class V1ActionEndpoints
{
    public static RouteGroupBuilder MapV1Actions(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/restart", RestartAsync);
        v1.MapPost("/purge", PurgeAsync);
        v1.MapPost("/apps/{appId}/stop", (string appId, HttpContext context, [AsParameters] ActionServices services, IDockerEngine engine) =>
            SingleServiceAsync(appId, ActionWorkflows.StopApp, context, services, engine));
        v1.MapPost("/apps/{appId}/start", (string appId, HttpContext context, [AsParameters] ActionServices services, IDockerEngine engine) =>
            SingleServiceAsync(appId, ActionWorkflows.StartApp, context, services, engine));
        v1.MapPost("/update", UpdateAsync);
        return v1;
    }

    private static async Task<IResult> RestartAsync(HttpContext context, [AsParameters] ActionServices services, CancellationToken cancellationToken)
    {
        var (request, error) = await ActionRequest.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (request?.AppId is not { } appId)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, error ?? "Missing app id: give appId in the body.");
        }

        return await AppActions.RunAsync(context, services, appId, ActionWorkflows.RestartApp, request.Force).ConfigureAwait(false)
            ?? Results.Text("OK");
    }

    private static async Task<IResult> PurgeAsync(HttpContext context, [AsParameters] ActionServices services, CancellationToken cancellationToken)
    {
        var (request, error) = await ActionRequest.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (request?.AppId is not { } appId)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, error ?? "Invalid or missing appId: give the app's numeric id in the body.");
        }

        return await AppActions.RunAsync(context, services, appId, ActionWorkflows.PurgeApp, request.Force).ConfigureAwait(false)
            ?? Results.Json(new Dictionary<string, string> { ["Data"] = "OK", ["Error"] = string.Empty });
    }

    private static async Task<IResult> SingleServiceAsync(string appIdText, string workflowId, HttpContext context, ActionServices services, IDockerEngine engine)
    {
        var cancellationToken = context.RequestAborted;
        var (appId, request, invalid) = await ActionRequest.ReadForAppAsync(appIdText, context.Request, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return invalid!;
        }

        var (app, refusal) = await services.Apps.FindForCallerAsync(context, appId).ConfigureAwait(false);
        if (app is null)
        {
            return refusal!;
        }

        if (app.Release is not { } release)
        {
            return RunAnswers.Failed(StatusCodes.Status404NotFound, $"App {appId} has no release in the target state.");
        }

        if (release.Services.Count != 1)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest,
                $"App {appId} has {release.Services.Count} services; v1 app endpoints act only on single-service apps. Use the v2 service endpoints.");
        }

        var service = release.Services.Values.Single();
        // The workflow marks the service stopped through the API (or no longer) and asks the reconciler for a pass.
        var input = workflowId == ActionWorkflows.StopApp ? ActionInputs.ForApp(app, request.Force) : ActionInputs.ForStart(app, release, service);
        var (_, failed) = await services.Launcher.RunAsync(context, workflowId, input).ConfigureAwait(false);
        if (failed is not null)
        {
            return failed;
        }

        try
        {
            var containers = await ServiceContainers.FindAsync(engine,
                new ServiceInput { AppUuid = app.Uuid, ServiceName = service.Name }, cancellationToken).ConfigureAwait(false);
            return Results.Json(new { containerId = containers.MaxBy(c => c.Created)?.Id });
        }
        catch (EngineException ex)
        {
            return RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }

    /// <summary>
    /// 204 when a reconcile pass was asked for; 202 when it was not, because the device is set not
    /// to apply updates at once (<c>Supervisor:InstantUpdates</c> false) and <c>force</c> was not given.
    /// </summary>
    private static async Task<IResult> UpdateAsync(HttpContext context, IOptions<SupervisorOptions> options, ApplyTrigger trigger, ForcedApply forced)
    {
        var (request, error) = await ActionRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (request is null)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, error!);
        }

        if (!request.Force && !options.Value.InstantUpdates)
        {
            return Results.Accepted();
        }

        if (request.Force)
        {
            forced.Request();
        }

        trigger.Request(request.Force ? "POST /v1/update (forced)" : "POST /v1/update");
        return Results.NoContent();
    }
}
