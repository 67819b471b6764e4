using Microsoft.Extensions.Options;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Configuration;

namespace Supervisor.Host.Security;

/// <summary>
/// Answers 401 to a request without the device API key, unless the device is in local mode and
/// configured to open its API there (<c>Supervisor:LocalModeWithoutApiKey</c>).
/// </summary>
public sealed class ApiKeyEndpointFilter(ApiKeyStore keys, IOptions<SupervisorOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var settings = options.Value;
        var open = settings.LocalMode && settings.LocalModeWithoutApiKey;
        return open || keys.IsValid(ApiKeyReader.Read(context.HttpContext.Request))
            ? next(context)
            : ValueTask.FromResult<object?>(RunAnswers.Failed(StatusCodes.Status401Unauthorized, "Unauthorized"));
    }
}
