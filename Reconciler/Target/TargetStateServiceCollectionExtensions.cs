using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Services;

namespace Supervisor.Reconciler.Target;

public static class TargetStateServiceCollectionExtensions
{
    /// <summary>The target-state store and its migration, and the view of its apps that the activities read.</summary>
    public static IServiceCollection AddTargetState(this IServiceCollection services)
    {
        services.AddSingleton(TargetStateMigrations.Initial);
        services.AddSingleton<TargetStateStore>();
        services.AddSingleton<ITargetedApps, StoredTargetApps>();
        return services;
    }
}
