namespace Supervisor.Host.Security;

/// <summary>Answers 401 to a request without the device API key.</summary>
public sealed class ApiKeyEndpointFilter(ApiKeyStore keys) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return keys.IsValid(ApiKeyReader.Read(context.HttpContext.Request))
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Json(new { status = "failed", message = "Unauthorized" }, statusCode: StatusCodes.Status401Unauthorized));
    }
}
