using Microsoft.Extensions.DependencyInjection;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Volumes;

public static class VolumeServiceCollectionExtensions
{
    /// <summary>The app-volume activities (the service options they read are bound by the service activities).</summary>
    public static IServiceCollection AddVolumeActivities(this IServiceCollection services)
    {
        services.AddWorkflowActivity<CreateVolume>();
        services.AddWorkflowActivity<RemoveVolume>();
        return services;
    }
}
