using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Configuration;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Reporting;
using Supervisor.Reconciler.Target;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Runs;

namespace Supervisor.Reconciler;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>
    /// Everything that keeps the device at its target: the target store, the reader of what the
    /// device holds (with the services stopped through the API and their activities), the reconcile
    /// loop and the apply job (with the trigger, the status, the one-shot forced apply and the
    /// RequestApply activity), and the device-state view the API and the cloud report read. The
    /// host gives the <c>apply</c> queue its single worker; the cloud link is added apart
    /// (<see cref="Cloud.CloudServiceCollectionExtensions"/>), since local mode has none.
    /// </summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTargetState();

        services.AddSingleton<CurrentStateReader>();
        services.AddSingleton<ApiStoppedServices>();
        services.AddSingleton<IRunEndListener, ApiStopRunEnd>();
        services.AddWorkflowActivity<MarkStoppedByApi>();
        services.AddWorkflowActivity<KeepStoppedByApi>();
        services.AddWorkflowActivity<UnmarkStoppedByApi>();

        services.AddValidatedOptions<ReconcilerOptions, ReconcilerOptionsValidator>(configuration.GetSection(ReconcilerOptions.Section));
        services.AddSingleton<ApplyTrigger>();
        services.AddSingleton<ApplyStatus>();
        services.AddSingleton<ChildJobWaiter>();
        services.AddTransient<ApplyJob>();
        services.AddSingleton<ForcedApply>();
        services.AddSingleton<PlannedApplies>();
        services.AddWorkflowActivity<RequestApply>();
        services.AddWorkflowActivity<AwaitAppRunning>();
        services.AddHostedService<ReconcileLoop>();

        services.AddSingleton<DeviceStateReader>();
        return services;
    }
}
