using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Host.StepEngine;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Bench.Images;

/// <summary>
/// The runner, its journal on disk and the image activities, wired as the host wires them
/// (<c>AddStepEngine</c>, <c>AddDockerEngine</c>, <c>AddImageActivities</c>), minus the API;
/// Hangfire's servers are registered but never start, as no host runs.
/// </summary>
public static class ImageBenchServices
{
    public static async Task<ServiceProvider> BuildAsync(BenchDirectory directory, string dockerHost)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var configuration = BenchStepEngineConfiguration.For(directory, JournalFlush.EveryActivity, new Dictionary<string, string?> { ["Supervisor:DockerHost"] = dockerHost });
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddStepEngine(configuration);
        services.AddDockerEngine(configuration.GetSection("Supervisor"));
        services.AddImageActivities(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync().ConfigureAwait(false);
        provider.GetRequiredService<WorkflowCatalog>().Load(directory.Workflows);
        return provider;
    }
}
