using Microsoft.AspNetCore.Diagnostics;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Storage;

namespace Supervisor.Host.Api;

/// <summary>
/// Answers 503 with <c>{ "status": "failed", "message": ... }</c> naming the file, the cause and
/// the fix, for any request that failed because a database could not be used (full, damaged,
/// read-only, an I/O error). One handler for every endpoint, as the engine's 503 is one filter,
/// so that no endpoint needs storage error handling of its own and none answers an empty 500.
/// </summary>
public sealed partial class DatabaseUnavailableHandler(DatabaseFailures failures, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (failures.Observe(exception) is not { } problem)
        {
            return false;
        }

        LogAnswered(logger, httpContext.Request.Method, httpContext.Request.Path, problem.Message);
        await RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable, problem.Message).ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The fallback for every other unhandled exception: still a 500, but with the API's error shape
    /// rather than an empty body. A request the framework could not bind stays its 400 (it is
    /// thrown, not answered, when the environment is Development).
    /// </summary>
    public static Task AnswerUnexpectedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var answer = error is BadHttpRequestException badRequest
            ? RunAnswers.Failed(badRequest.StatusCode, badRequest.Message)
            : RunAnswers.Failed(StatusCodes.Status500InternalServerError, $"The supervisor failed to answer ({error?.GetType().Name ?? "unknown"}); its log has the details.");
        return answer.ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Problem}")]
    private static partial void LogAnswered(ILogger logger, string method, string path, string problem);
}
