using Supervisor.Activities.Features;
using Supervisor.Host.Api.Actions;

namespace Supervisor.Host.Security;

/// <summary>
/// <c>POST /v1/regenerate-api-key</c>, as balena: the key the request carries is replaced by a new one, answered as
/// text; the old one stops working at once. The device key gives a new device key; a service's key a new key for
/// that service (its container keeps the old one in its environment until it is created again).
/// </summary>
public static class ApiKeyRegenerationEndpoints
{
    public static RouteGroupBuilder MapApiKeyRegeneration(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/regenerate-api-key", async (HttpContext context, ApiKeyStore deviceKey, ServiceApiKeyStore serviceKeys) =>
        {
            var presented = ApiKeyReader.Read(context.Request);
            if (presented is null)
            {
                return RunAnswers.Failed(StatusCodes.Status400BadRequest,
                    "No key to regenerate: the API answers without one here (local mode), so give the key to replace in ?apikey= or Authorization: Bearer.");
            }

            if (deviceKey.IsValid(presented))
            {
                return deviceKey.IsConfigured
                    ? RunAnswers.Failed(StatusCodes.Status409Conflict, "The device API key is set by Supervisor:ApiKey: change it there and restart the supervisor.")
                    : Results.Text(deviceKey.Regenerate());
            }

            return await serviceKeys.RegenerateAsync(presented, context.RequestAborted).ConfigureAwait(false) is { } key
                ? Results.Text(key)
                : RunAnswers.Failed(StatusCodes.Status401Unauthorized, "Unauthorized");
        })
        .WithName("RegenerateApiKey")
        .WithSummary("Replace the key the request carries with a new one (answered as text); the old key stops working at once")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status409Conflict);
        return v1;
    }
}
