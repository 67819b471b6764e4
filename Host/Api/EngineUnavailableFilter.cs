using Supervisor.Activities.Engine;
using Supervisor.Host.Api.Actions;

namespace Supervisor.Host.Api;

/// <summary>
/// Answers 503 with the engine's own explanation (which names the endpoint and what to check) when an endpoint
/// could not read the engine, so that read endpoints need no error handling of their own.
/// </summary>
public sealed class EngineUnavailableFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            return RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }
}
