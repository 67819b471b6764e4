using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Configuration;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Reconciler;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>
    /// The reconcile loop and the apply job, with what they share with the API: the trigger, the
    /// status, the services stopped through the API, the one-shot forced apply, and the
    /// RequestApply activity. The host gives the <c>apply</c> queue its single worker.
    /// </summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ReconcilerOptions, ReconcilerOptionsValidator>(configuration.GetSection(ReconcilerOptions.Section));
        services.AddSingleton<ApplyTrigger>();
        services.AddSingleton<ApplyStatus>();
        services.AddSingleton<ChildJobWaiter>();
        services.AddTransient<ApplyJob>();
        services.AddSingleton<ForcedApply>();
        services.AddSingleton<PlannedApplies>();
        services.AddWorkflowActivity<RequestApply>();
        services.AddHostedService<ReconcileLoop>();
        return services;
    }
}
