using System.Text.Json;
using Supervisor.Activities.Services;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.V2;

/// <summary>
/// <c>GET /v2/cleanup-volumes</c> (a GET, as balena has it): runs the <c>cleanup-volumes</c> workflow, which removes
/// the named volumes of apps that are not in the target, and maps its end to HTTP.
/// </summary>
public static class VolumeCleanupEndpoints
{
    private const string Workflow = "cleanup-volumes";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public static RouteGroupBuilder MapVolumeCleanupApi(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapGet("/cleanup-volumes", async (HttpContext context, IWorkflowCatalog catalog, RunLauncher launcher, CancellationToken cancellationToken) =>
        {
            // The workflow removes every app's orphaned volumes: a service's key acts on its own app only.
            if (ApiCaller.Of(context) is { IsDevice: false } caller)
            {
                return caller.OutOfScope("every app's volumes");
            }

            if (catalog.Find(Workflow) is not { } definition)
            {
                return RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable,
                    $"The workflow \"{Workflow}\" is not among the active definitions; restore {Workflow}.json in Supervisor:WorkflowsDir.");
            }

            using var empty = JsonDocument.Parse("{}");
            var (runId, ended) = await launcher.StartAsync(definition, empty.RootElement.Clone(), "api", Wait, cancellationToken).ConfigureAwait(false);
            if (ended is null)
            {
                return RunAnswers.Accepted(runId);
            }

            if (ended.Status != RunStatus.Completed)
            {
                return RunAnswers.Failed(RunAnswers.StatusCodeOf(ended), ended.Message ?? $"The {Workflow} run ended {ended.Status}.");
            }

            // An operator may add activities to the definition; the answer reports the removal's own output.
            var output = ended.Steps.LastOrDefault(s => s.ActivityType == nameof(RemoveOrphanedVolumes))?.Output;
            return Results.Json(new
            {
                status = "success",
                removed = output?.TryGetProperty("removed", out var removed) == true ? removed : default(JsonElement?),
                inUse = output?.TryGetProperty("inUse", out var inUse) == true ? inUse : default(JsonElement?),
                runId,
            });
        })
        .WithName("CleanupVolumes")
        .WithSummary("Removes the named volumes of apps that are not in the target (volumes in use are kept)")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status202Accepted).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status403Forbidden)
        .Produces(StatusCodes.Status503ServiceUnavailable);
        return v2;
    }
}
