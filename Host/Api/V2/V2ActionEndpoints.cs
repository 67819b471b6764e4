using Supervisor.Host.Api;
using Supervisor.Host.Api.Actions;

namespace Supervisor.Host.Api.V2;

/// <summary>
/// balena's v2 actions: one service (<c>restart-service</c>, <c>stop-service</c>,
/// <c>start-service</c>) or a whole app (<c>restart</c>, <c>purge</c>) of the app whose numeric id
/// is in the path. Each validates, finds the app and service in the target, launches its workflow
/// and answers 200 <c>OK</c>, or how the run ended (423 while a user holds the update lock).
/// </summary>
public static class V2ActionEndpoints
{
    public static RouteGroupBuilder MapV2Actions(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapPost("/applications/{appId}/restart-service", (string appId, HttpContext context, [AsParameters] ActionServices services) => ServiceActionAsync(appId, ActionWorkflows.RestartService, context, services));
        v2.MapPost("/applications/{appId}/stop-service", (string appId, HttpContext context, [AsParameters] ActionServices services) => ServiceActionAsync(appId, ActionWorkflows.StopService, context, services));
        v2.MapPost("/applications/{appId}/start-service", (string appId, HttpContext context, [AsParameters] ActionServices services) => ServiceActionAsync(appId, ActionWorkflows.StartService, context, services));
        v2.MapPost("/applications/{appId}/restart", (string appId, HttpContext context, [AsParameters] ActionServices services) => AppActionAsync(appId, ActionWorkflows.RestartApp, context, services));
        v2.MapPost("/applications/{appId}/purge", (string appId, HttpContext context, [AsParameters] ActionServices services) => AppActionAsync(appId, ActionWorkflows.PurgeApp, context, services));
        return v2;
    }

    private static async Task<IResult> ServiceActionAsync(string appIdText, string workflowId, HttpContext context, ActionServices services)
    {
        var cancellationToken = context.RequestAborted;
        var (appId, request, invalid) = await ActionRequest.ReadForAppAsync(appIdText, context.Request, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return invalid!;
        }

        if (request.ServiceName is null && request.ImageId is null)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, "Give serviceName or imageId in the body: which service of the app to act on.");
        }

        var (app, refusal) = await services.Apps.FindForCallerAsync(context, appId).ConfigureAwait(false);
        if (app is null)
        {
            return refusal!;
        }

        if (LegacyAppResolver.FindService(app, request.ServiceName, request.ImageId) is not { } service)
        {
            var which = request.ServiceName is not null ? $"Service \"{request.ServiceName}\"" : $"No service with image id {request.ImageId}";
            return RunAnswers.Failed(StatusCodes.Status404NotFound, $"{which} does not exist in the target release of app {appId}.");
        }

        // Marking the service stopped through the API (or no longer), and asking the reconciler for
        // a pass, are the workflow's steps: operators see them in its definition.
        // A restart recreates the container from the target release, as balena's does.
        var input = workflowId == ActionWorkflows.RestartService && app.Release is { } release
            ? ActionInputs.ForRestart(app, release, service, request.Force)
            : ActionInputs.ForService(app, service, request.Force);
        var (_, failed) = await services.Launcher.RunAsync(context, workflowId, input).ConfigureAwait(false);
        return failed ?? Results.Text("OK");
    }

    private static async Task<IResult> AppActionAsync(string appIdText, string workflowId, HttpContext context, ActionServices services)
    {
        var cancellationToken = context.RequestAborted;
        var (appId, request, invalid) = await ActionRequest.ReadForAppAsync(appIdText, context.Request, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return invalid!;
        }

        var answer = await AppActions.RunAsync(context, services, appId, workflowId, request.Force).ConfigureAwait(false);
        return answer ?? Results.Text("OK");
    }
}
