using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Supervisor.Workflows.Activities;

public static class ActivityServiceCollectionExtensions
{
    /// <summary>Makes an activity class usable in definitions under its type name.</summary>
    public static IServiceCollection AddWorkflowActivity<TActivity>(this IServiceCollection services)
        where TActivity : class, IWorkflowActivity
    {
        services.AddSingleton(new ActivityRegistration(ActivityDescriptorFactory.Describe(typeof(TActivity))));
        services.TryAddSingleton<IActivityCatalog, ActivityCatalog>();
        return services;
    }
}
