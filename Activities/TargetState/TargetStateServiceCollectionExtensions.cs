using Microsoft.Extensions.DependencyInjection;

namespace Supervisor.Activities.TargetState;

public static class TargetStateServiceCollectionExtensions
{
    /// <summary>The target-state store and its migration.</summary>
    public static IServiceCollection AddTargetState(this IServiceCollection services)
    {
        services.AddSingleton(TargetStateMigrations.Initial);
        services.AddSingleton<TargetStateStore>();
        services.AddSingleton<ApiStoppedServices>();
        services.AddSingleton<CurrentStateReader>();
        return services;
    }
}
