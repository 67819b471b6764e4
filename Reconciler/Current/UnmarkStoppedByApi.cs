using System.ComponentModel;
using Supervisor.Workflows.Activities;

namespace Supervisor.Reconciler.Current;

/// <summary>
/// Forgets that services were stopped through the device API, once an API action started (or restarted, or purged)
/// them: the reconciler keeps them running again.
/// </summary>
[Description("Forgets that the services were stopped through the API: the reconciler keeps them running again.")]
public sealed class UnmarkStoppedByApi(ApiStoppedServices stopped) : WorkflowActivity<ApiStopInput, NoOutput>
{
    protected override Task<ActivityResult> ExecuteAsync(ApiStopInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        if (input.ApiAction)
        {
            foreach (var name in input.AllServices())
            {
                stopped.Remove(input.AppUuid, name);
            }
        }

        return Task.FromResult(Completed(NoOutput.Instance));
    }
}
