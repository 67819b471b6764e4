using Supervisor.Host.Api.Actions;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.V3;

/// <summary>The step engine's own API under <c>/v3</c>: definitions, runs, and starting a run and waiting for it.</summary>
public static class WorkflowEndpoints
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    public static RouteGroupBuilder MapWorkflowApi(this RouteGroupBuilder v3)
    {
        ArgumentNullException.ThrowIfNull(v3);
        v3.MapGet("/workflows", (IWorkflowCatalog catalog) =>
            Results.Ok(catalog.All.OrderBy(d => d.Id, StringComparer.Ordinal).Select(WorkflowView.Summary)));

        v3.MapGet("/workflows/{id}", (string id, IWorkflowCatalog catalog) =>
            catalog.Find(id) is { } definition
                ? Results.Ok(WorkflowView.Detail(definition))
                : RunAnswers.Failed(StatusCodes.Status404NotFound, $"There is no workflow \"{id}\"."));

        v3.MapPost("/workflows/{id}/runs", StartRunAsync);

        v3.MapGet("/runs", ListRunsAsync);

        v3.MapGet("/runs/{id}", GetRunAsync);
        return v3;
    }

    /// <summary>
    /// The run with that id, or 404. A run refused without changing anything may have been
    /// counted rather than kept: the 404 then lists the refusals counted in the minute the id was
    /// created in, so that the caller learns what became of it, and never sees another run's id as its own.
    /// </summary>
    private static async Task<IResult> GetRunAsync(string id, WorkflowJournal journal, RunProgressBoard progress, CancellationToken cancellationToken)
    {
        if (await journal.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is { } run)
        {
            return Results.Ok(RunView.From(run, progress.Find(id)));
        }

        var refusals = await journal.ListRefusalsAroundAsync(id, cancellationToken).ConfigureAwait(false);
        return refusals.Count == 0
            ? RunAnswers.Failed(StatusCodes.Status404NotFound, $"There is no run \"{id}\".")
            : Results.Json(
                new RunNotKeptView(
                    "failed",
                    $"There is no run \"{id}\". Runs refused without changing anything are kept in full only for the first of each workflow and reason in a minute; the others are counted: see refusals.",
                    refusals),
                statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> StartRunAsync(
        string id, HttpRequest request, double? wait, IWorkflowCatalog catalog, RunLauncher launcher, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is not { } definition)
        {
            return RunAnswers.Failed(StatusCodes.Status404NotFound, $"There is no workflow \"{id}\".");
        }

        if (wait is < 0 || (wait is { } seconds && TimeSpan.FromSeconds(seconds) > MaxWait))
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, $"wait must be between 0 and {MaxWait.TotalSeconds} seconds.");
        }

        var (input, error) = await RequestInput.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, error);
        }

        var limit = wait is { } w ? TimeSpan.FromSeconds(w) : DefaultWait;
        var (runId, ended) = await launcher.StartAsync(definition, input, "api", limit, cancellationToken).ConfigureAwait(false);
        if (ended is null)
        {
            return RunAnswers.Accepted(runId);
        }

        // A run is answered 200 however it ended, except one its input was refused by: that is the
        // caller's mistake (a service name such as "../x"), answered as every other bad request is.
        return RunAnswers.StatusCodeOf(ended) == StatusCodes.Status400BadRequest
            ? Results.Json(RunView.From(ended), statusCode: StatusCodes.Status400BadRequest)
            : Results.Ok(RunView.From(ended));
    }

    private static async Task<IResult> ListRunsAsync(
        string? workflow, string? status, int? page, int? pageSize, WorkflowJournal journal, CancellationToken cancellationToken)
    {
        RunStatus? statusFilter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return RunAnswers.Failed(StatusCodes.Status400BadRequest, $"status \"{status}\" is not one of {string.Join(", ", Enum.GetNames<RunStatus>())}.");
            }

            statusFilter = parsed;
        }

        if (page is < 1 || pageSize is < 1 or > 500)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, "page must be 1 or more and pageSize between 1 and 500.");
        }

        var query = new RunQuery(workflow, statusFilter, page ?? 1, pageSize ?? 50);
        var (runs, total) = await journal.ListRunsAsync(query, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new { runs, query.Page, query.PageSize, total });
    }
}
