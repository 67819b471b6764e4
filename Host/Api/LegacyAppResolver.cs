using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;
using Supervisor.Reconciler.Target;

namespace Supervisor.Host.Api;

/// <summary>
/// Finds the target app and service that a v1/v2 request names by balena's numeric ids. Apart from
/// the legacy state, this is the only place that speaks numeric ids: everything past it (the
/// workflows, the locks' app key aside) works with uuids and service names.
/// </summary>
public sealed class LegacyAppResolver(TargetStateStore store)
{
    /// <summary>The target app whose numeric id is <paramref name="appId"/>; null when the target has none.</summary>
    public async Task<TargetApp?> FindAppAsync(long appId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        return stored?.State.Apps.Values.FirstOrDefault(a => a.LegacyId == appId);
    }

    /// <summary>
    /// The target app a request acts on, or the answer when it may not: 404 when the target has no app of that id,
    /// 403 when the caller's key was given to a service of another app.
    /// </summary>
    public async Task<(TargetApp? App, IResult? Refusal)> FindForCallerAsync(HttpContext context, long appId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var app = await FindAppAsync(appId, context.RequestAborted).ConfigureAwait(false);
        var caller = ApiCaller.Of(context);
        return app is null ? (null, RunAnswers.Failed(StatusCodes.Status404NotFound, $"App {appId} is not in the target state."))
            : !caller.MayActOn(app.Uuid) ? (null, caller.OutOfScope($"app {appId}"))
            : (app, null);
    }

    /// <summary>The service named, or else the one whose numeric image id is <paramref name="imageId"/>.</summary>
    public static TargetService? FindService(TargetApp app, string? serviceName, long? imageId)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Release?.Services;
        if (services is null)
        {
            return null;
        }

        return serviceName is not null
            ? services.GetValueOrDefault(serviceName)
            : services.Values.FirstOrDefault(s => s.LegacyImageId == imageId);
    }
}
