using Supervisor.Activities.Engine;
using Supervisor.Host.Api.Actions;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Host.Api.V3;

/// <summary><c>GET /v3/plan</c>: the plan that would run now for the accepted target, without running it.</summary>
public static class PlanEndpoints
{
    public static RouteGroupBuilder MapPlanApi(this RouteGroupBuilder v3)
    {
        ArgumentNullException.ThrowIfNull(v3);
        v3.MapGet("/plan", async (TargetStateStore store, CurrentStateReader reader, CancellationToken cancellationToken) =>
        {
            var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return Results.Json(new { status = "success", target = (object?)null, message = "No target state has been accepted yet." });
            }

            CurrentState current;
            try
            {
                current = await reader.ReadAsync(stored.State, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                return RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable, ex.Message);
            }

            var plan = ReconcilePlanner.Plan(stored.State, current, keepVolumes: stored.IsLocal);
            return Results.Json(new
            {
                status = "success",
                target = new { source = stored.Source, acceptedAt = stored.AcceptedAt },
                plan.IsEmpty,
                fetches = plan.Fetches.Select(Step),
                serviceChanges = plan.ServiceChanges.Select(Step),
                removals = plan.Removals.Select(Step),
                blocked = plan.Blocked,
            });
        });
        return v3;
    }

    private static object Step(ReconcileStep step) =>
        new { step.Workflow, step.AppUuid, step.ServiceName, step.NeedsLock, step.Input };
}
