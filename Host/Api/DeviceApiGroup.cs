using Supervisor.Host.Security;

namespace Supervisor.Host.Api;

/// <summary>A route group of the device API: every endpoint in it needs the API key, and an unreachable engine is a 503.</summary>
public static class DeviceApiGroup
{
    public static RouteGroupBuilder MapDeviceApi(this IEndpointRouteBuilder app, string prefix)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(prefix);
        group.AddEndpointFilter<ApiKeyEndpointFilter>().AddEndpointFilter<EngineUnavailableFilter>();
        return group;
    }
}
