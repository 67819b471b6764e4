using System.Text.Json;
using Supervisor.Activities.Locks;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// How a run's end becomes an HTTP answer: Completed → 200, Failed <c>Locked</c> → 423,
/// <c>Busy</c> → 503, <c>NotFound</c> → 404, <c>Invalid</c> → 400, any other failure → 409,
/// Faulted → 503. Only a user's update lock is 423: balena's clients read 423 as "locked"
/// (balena-sdk's <c>SupervisorLockedError</c>), and an app busy with another supervisor
/// operation is not locked, it is worth retrying.
/// Error bodies are balena's <c>{ "status": "failed", "message": ... }</c>.
/// </summary>
public static class RunAnswers
{
    public static int StatusCodeOf(WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status switch
        {
            RunStatus.Completed => StatusCodes.Status200OK,
            RunStatus.Failed => run.Reason switch
            {
                AcquireUpdateLocks.Locked => StatusCodes.Status423Locked,
                AcquireUpdateLocks.Busy => StatusCodes.Status503ServiceUnavailable,
                "NotFound" => StatusCodes.Status404NotFound,
                "Invalid" => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            },
            _ => StatusCodes.Status503ServiceUnavailable,
        };
    }

    /// <remarks>
    /// Written whole with its length rather than streamed: a streamed JSON body goes out chunked,
    /// as two sends (the body, then the last chunk), and a refused action is answered often.
    /// </remarks>
    public static IResult Failed(int statusCode, string message) =>
        Results.Content(JsonSerializer.Serialize(new { status = "failed", message }, JsonSerializerOptions.Web), "application/json; charset=utf-8", statusCode: statusCode);

    /// <summary>202 for a run still going, pointing at where to follow it.</summary>
    public static IResult Accepted(string runId) =>
        Results.Accepted($"/v3/runs/{runId}", new { status = "running", id = runId, location = $"/v3/runs/{runId}" });
}
