using Supervisor.Activities.TargetState;

namespace Supervisor.Host.Api;

/// <summary>
/// The app-wide actions shared by v1 and v2 (<c>restart</c>, <c>purge</c>): find the app in the
/// target, run its workflow over all of the target release's services, and, once done, forget that
/// any of them was stopped through the API (they run again).
/// </summary>
public static class AppActions
{
    /// <returns>Null when the action completed; otherwise the answer to give.</returns>
    public static async Task<IResult?> RunAsync(HttpContext context, ActionServices services, long appId, string workflowId, bool force)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var app = await services.Apps.FindAppAsync(appId, context.RequestAborted).ConfigureAwait(false);
        if (app is null)
        {
            return RunAnswers.Failed(StatusCodes.Status404NotFound, $"App {appId} is not in the target state.");
        }

        var (_, failed) = await services.Launcher
            .RunAsync(context, workflowId, ActionInputs.ForApp(app, force)).ConfigureAwait(false);
        if (failed is not null)
        {
            return failed;
        }

        var stopped = services.Stopped;
        foreach (var name in app.Release?.Services.Keys ?? [])
        {
            stopped.Remove(app.Uuid, name);
        }

        return null;
    }
}
