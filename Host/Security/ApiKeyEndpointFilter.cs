using Microsoft.Extensions.Options;
using Supervisor.Activities.Features;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Configuration;

namespace Supervisor.Host.Security;

/// <summary>
/// Answers 401 to a request without a valid key (the device API key, or a key a service was given), unless the
/// device is in local mode and configured to open its API there (<c>Supervisor:LocalModeWithoutApiKey</c>). The
/// caller it finds (<see cref="ApiCaller"/>) is what the endpoints check an app against.
/// </summary>
public sealed class ApiKeyEndpointFilter(ApiKeyStore keys, ServiceApiKeyStore serviceKeys, IOptions<SupervisorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var settings = options.Value;
        var http = context.HttpContext;
        var presented = ApiKeyReader.Read(http.Request);
        ApiCaller? caller = settings.LocalMode && settings.LocalModeWithoutApiKey || keys.IsValid(presented) ? ApiCaller.Device
            : presented is not null && await serviceKeys.FindAsync(presented, http.RequestAborted).ConfigureAwait(false) is { } owner ? new ApiCaller(owner.AppUuid)
            : null;
        if (caller is null)
        {
            return RunAnswers.Failed(StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        http.Features.Set(caller);
        return await next(context).ConfigureAwait(false);
    }
}
