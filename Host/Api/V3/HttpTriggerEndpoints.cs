using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Host.Api.Actions;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Builtins;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.V3;

/// <summary>
/// The operators' own endpoints: every request under <c>/workflows/</c> is matched against the
/// active definitions' <c>trigger.http</c> (so a reload adds or changes routes at once). Route
/// values, then the query, then the body make the run's input; the last <c>Respond</c> the run
/// passed decides the answer, else how the run ended.
/// </summary>
public static class HttpTriggerEndpoints
{
    public static RouteHandlerBuilder MapWorkflowTriggers(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Map("/workflows/{**path}", HandleAsync);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, HttpTriggerRouter router, RunLauncher launcher)
    {
        var request = context.Request;
        var (definition, values) = router.Match(request.Method, request.Path);
        if (definition is null)
        {
            return RunAnswers.Failed(StatusCodes.Status404NotFound, $"No workflow answers {request.Method} {request.Path}.");
        }

        var (body, error) = await RequestInput.ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, error);
        }

        var input = JsonNode.Parse(body.GetRawText())!.AsObject();
        foreach (var (key, value) in request.Query)
        {
            if (!key.Equals("apikey", StringComparison.OrdinalIgnoreCase) && !key.Equals("wait", StringComparison.OrdinalIgnoreCase))
            {
                input[key] = value.ToString();
            }
        }

        foreach (var (key, value) in values!)
        {
            input[key] = value?.ToString();
        }

        var wait = double.TryParse(request.Query["wait"], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 600))
            : TimeSpan.FromSeconds(30);
        var (runId, ended) = await launcher.StartAsync(definition, JsonSerializer.SerializeToElement(input), "http", wait, context.RequestAborted).ConfigureAwait(false);
        if (ended is null)
        {
            return RunAnswers.Accepted(runId);
        }

        var response = ended.Steps.LastOrDefault(s => s.ActivityType == nameof(Respond) && s.Output is not null);
        if (response?.Output is { } output && output.Deserialize<Respond.Input>(WorkflowJson.Options) is { } answer)
        {
            return answer.Body is { ValueKind: JsonValueKind.String } text
                ? Results.Text(text.GetString(), "text/plain", statusCode: answer.StatusCode)
                : Results.Json(answer.Body, statusCode: answer.StatusCode);
        }

        var statusCode = RunAnswers.StatusCodeOf(ended);
        return ended.Status == RunStatus.Completed
            ? Results.Json(new { status = "success", id = ended.Id }, statusCode: statusCode)
            : RunAnswers.Failed(statusCode, ended.Message ?? ended.Status.ToString());
    }
}
