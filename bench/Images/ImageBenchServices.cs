using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Builtins;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Bench.Images;

/// <summary>
/// The runner, its journal on disk and the image activities, wired as the host wires them
/// (<c>AddDockerEngine</c>, <c>AddImageActivities</c>), minus Hangfire and the API.
/// </summary>
public static class ImageBenchServices
{
    public static async Task<ServiceProvider> BuildAsync(BenchDirectory directory, string dockerHost)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Supervisor:DockerHost"] = dockerHost })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new SupervisorDatabase(Path.Combine(directory.Data, "supervisor.db")));
        services.AddJournalMigrations();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton(sp => new WorkflowJournal(sp.GetRequiredService<SupervisorDatabase>(), JournalFlush.EveryActivity));
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<IWorkflowCatalog>(sp => sp.GetRequiredService<WorkflowCatalog>());
        services.AddSingleton<RunProgressBoard>();
        services.AddSingleton<WorkflowRunner>();
        services.AddWorkflowActivity<Fail>();
        services.AddDockerEngine(configuration.GetSection("Supervisor"));
        services.AddImageActivities(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync().ConfigureAwait(false);
        provider.GetRequiredService<WorkflowCatalog>().Load(directory.Workflows);
        return provider;
    }
}
