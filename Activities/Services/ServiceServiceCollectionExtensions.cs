using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Configuration;
using Supervisor.Activities.Features;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

public static class ServiceServiceCollectionExtensions
{
    /// <summary>The service activities, configured from the <c>Supervisor</c> section (<c>LockRoot</c>).</summary>
    public static IServiceCollection AddServiceActivities(this IServiceCollection services, IConfiguration supervisorSection)
    {
        services.AddValidatedOptions<ServiceOptions, ServiceOptionsValidator>(supervisorSection);
        services.AddSingleton(ApiKeyMigrations.Initial);
        services.AddSingleton<ServiceApiKeyStore>();
        services.AddSingleton<HostOsRelease>();
        services.AddSingleton<ServiceFeatureGrants>();
        services.AddWorkflowActivity<CreateService>();
        services.AddWorkflowActivity<StartService>();
        services.AddWorkflowActivity<StopService>();
        services.AddWorkflowActivity<RemoveService>();
        services.AddWorkflowActivity<UpdateServiceRelease>();
        services.AddWorkflowActivity<RemoveOrphanedVolumes>();
        services.AddWorkflowActivity<StopAppServices>();
        services.AddWorkflowActivity<StartAppServices>();
        services.AddWorkflowActivity<CreateAppServices>();
        services.AddWorkflowActivity<RemoveAppServices>();
        services.AddWorkflowActivity<RemoveAppVolumes>();
        return services;
    }
}
