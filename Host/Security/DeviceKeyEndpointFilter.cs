namespace Supervisor.Host.Security;

/// <summary>
/// After <see cref="ApiKeyEndpointFilter"/>: answers 403 to a service's key. For what acts beyond one app (any
/// workflow with any input, the plan of every app): balena has no such endpoints, so no service relied on them.
/// </summary>
public sealed class DeviceKeyEndpointFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var caller = ApiCaller.Of(context.HttpContext);
        return caller.IsDevice ? next(context) : ValueTask.FromResult<object?>(caller.OutOfScope("the whole device"));
    }
}
