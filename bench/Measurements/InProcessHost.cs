using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervisor.Host.StepEngine;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// The host's step engine (databases, definitions, runner, Hangfire servers and queues) wired
/// exactly as <c>Host/Program.cs</c> wires it, through <see cref="StepEngineServiceCollectionExtensions.AddStepEngine"/>,
/// without the HTTP API, so that a bench activity can be added and the services reached directly.
/// </summary>
public static class InProcessHost
{
    /// <param name="settings">Extra configuration, e.g. <c>Supervisor:Jobs:SchedulePollingInterval</c>, to see what a setting changes.</param>
    public static IHost Build(BenchDirectory directory, Action<IServiceCollection>? configure = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = directory.Path,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supervisor:DataDir"] = directory.Data,
            ["Supervisor:WorkflowsDir"] = directory.Workflows,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Warnings only: console logging of every job would be measured along with it.
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddStepEngine(builder.Configuration);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
