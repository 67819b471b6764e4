using Microsoft.Extensions.DependencyInjection;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Networks;

public static class NetworkServiceCollectionExtensions
{
    /// <summary>The app-network activities (the service options they read are bound by the service activities).</summary>
    public static IServiceCollection AddNetworkActivities(this IServiceCollection services)
    {
        services.AddWorkflowActivity<CreateNetwork>();
        services.AddWorkflowActivity<RemoveNetwork>();
        return services;
    }
}
