using Supervisor.Reconciler.Reporting;

namespace Supervisor.Host.Security;

/// <summary>
/// Who a request's key says is calling: the device (its own key, or local mode without a key) may act on every
/// app; a service given a key by <c>io.balena.features.supervisor-api</c> only on its own app (balena's scoped keys).
/// </summary>
public sealed record ApiCaller(string? AppUuid)
{
    public static ApiCaller Device { get; } = new((string?)null);

    public bool IsDevice => AppUuid is null;

    public bool MayActOn(string appUuid) => AppUuid is null || AppUuid == appUuid;

    /// <summary>The caller <see cref="ApiKeyEndpointFilter"/> found for this request.</summary>
    public static ApiCaller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiCaller>()
            ?? throw new InvalidOperationException($"{context.Request.Path} is served without the API key filter, so it cannot tell who calls.");
    }

    /// <summary>What of the device's state the caller may see: a service's key sees its own app only.</summary>
    public DeviceStateView Sees(DeviceStateView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return AppUuid is null ? view : view with
        {
            Apps = [.. view.Apps.Where(a => a.Uuid == AppUuid)],
            Containers = [.. view.Containers.Where(c => c.AppUuid == AppUuid)],
            Images = [.. view.Images.Where(i => i.AppUuid == AppUuid)],
        };
    }

    /// <summary>403: the key is valid, but for another app. 401 stays for a key that is not valid at all.</summary>
    public IResult OutOfScope(string what) =>
        Api.Actions.RunAnswers.Failed(StatusCodes.Status403Forbidden,
            $"This API key was given to a service of app {AppUuid} and may act on that app only, not on {what}. Use the device API key.");
}
