using Microsoft.Extensions.DependencyInjection;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Runs;

namespace Supervisor.Activities.TargetState;

public static class TargetStateServiceCollectionExtensions
{
    /// <summary>The target-state store and its migration, and the services stopped through the API with their activities.</summary>
    public static IServiceCollection AddTargetState(this IServiceCollection services)
    {
        services.AddSingleton(TargetStateMigrations.Initial);
        services.AddSingleton<TargetStateStore>();
        services.AddSingleton<ApiStoppedServices>();
        services.AddSingleton<IRunEndListener, ApiStopRunEnd>();
        services.AddWorkflowActivity<MarkStoppedByApi>();
        services.AddWorkflowActivity<KeepStoppedByApi>();
        services.AddWorkflowActivity<UnmarkStoppedByApi>();
        services.AddSingleton<CurrentStateReader>();
        return services;
    }
}
