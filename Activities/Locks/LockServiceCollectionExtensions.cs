using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Configuration;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Locks;

public static class LockServiceCollectionExtensions
{
    /// <summary>The update-lock activities, their record of the supervisor's own locks, and the in-process app locks.</summary>
    public static IServiceCollection AddLockActivities(this IServiceCollection services, IConfiguration supervisorSection)
    {
        services.AddValidatedOptions<UpdateLockOptions, UpdateLockOptionsValidator>(supervisorSection);
        services.AddSingleton(LockMigrations.Initial);
        services.AddSingleton<UpdateLockFiles>();
        services.AddSingleton<AppLocks>();
        services.AddSingleton<AppLockFolders>();
        services.AddSingleton<IRunEndListener, RunLockRelease>();
        services.AddSingleton<IStartupRecovery, LockLeftoverRecovery>();
        services.AddWorkflowActivity<AcquireUpdateLocks>();
        services.AddWorkflowActivity<ReleaseUpdateLocks>();
        return services;
    }
}
