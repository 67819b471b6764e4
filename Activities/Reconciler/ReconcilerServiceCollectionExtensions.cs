using Microsoft.Extensions.DependencyInjection;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Reconciler;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>The reconcile loop's shared parts: its trigger, its status and the services stopped through the API, and the RequestApply activity.</summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services)
    {
        services.AddSingleton<ApplyTrigger>();
        services.AddSingleton<ApplyStatus>();
        services.AddSingleton<ApiStoppedServices>();
        services.AddSingleton<ForcedApply>();
        services.AddWorkflowActivity<RequestApply>();
        return services;
    }
}
