using Supervisor.Activities.Engine;
using Supervisor.Activities.Features;
using Supervisor.Activities.Images;
using Supervisor.Activities.Locks;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Services;
using Supervisor.Activities.Volumes;
using Supervisor.Host.Api;
using Supervisor.Host.StepEngine;
using Supervisor.Reconciler;

namespace Supervisor.Host;

public static class SupervisorServiceCollectionExtensions
{
    /// <summary>
    /// Everything that keeps the device at its target, without the HTTP API: the engine adapter,
    /// the step engine and its Hangfire servers, the image, service and lock activities, the
    /// target store and the reconciler. The program adds the API on top; the benchmarks use this
    /// as it is, so that they measure the host's own wiring.
    /// </summary>
    public static IServiceCollection AddSupervisorCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var supervisor = configuration.GetSection("Supervisor");
        services.AddDockerEngine(supervisor);
        services.AddStepEngine(configuration);
        services.AddImageActivities(configuration);
        services.AddServiceActivities(supervisor);
        services.AddNetworkActivities();
        services.AddVolumeActivities();
        services.AddSingleton<ISupervisorApiPort, ServerApiPort>();
        services.AddLockActivities(supervisor);
        services.AddReconciler(configuration);
        return services;
    }
}
