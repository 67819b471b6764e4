namespace Supervisor.Host.Api.Actions;

/// <summary>
/// The app-wide actions shared by v1 and v2 (<c>restart</c>, <c>purge</c>): find the app in the
/// target and run its workflow over all of the target release's services (which, once done, forgets
/// that any of them was stopped through the API: they run again).
/// </summary>
public static class AppActions
{
    /// <returns>Null when the action completed; otherwise the answer to give.</returns>
    public static async Task<IResult?> RunAsync(HttpContext context, ActionServices services, long appId, string workflowId, bool force)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var (app, refusal) = await services.Apps.FindForCallerAsync(context, appId).ConfigureAwait(false);
        if (app is null)
        {
            return refusal;
        }

        // The workflow forgets that any of the app's services was stopped through the API.
        var (_, failed) = await services.Launcher
            .RunAsync(context, workflowId, workflowId == ActionWorkflows.RestartApp ? ActionInputs.ForAppRestart(app, force) : ActionInputs.ForApp(app, force))
            .ConfigureAwait(false);
        return failed;
    }
}
