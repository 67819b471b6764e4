using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervisor.Host.StepEngine;
using Supervisor.Tests.Fixtures.Activities;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// The step engine without the host: wired by the host's own <c>AddStepEngine</c> over a real
/// SQLite journal and definitions folder in a temp directory of this test's own, with the test
/// activities added.
/// </summary>
public sealed class StepEngineFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StepEngineFixture(string root, ServiceProvider services, LogCapture logs)
    {
        Root = root;
        _services = services;
        Logs = logs;
    }

    public string Root { get; }

    /// <summary>What the engine logged at Warning and above.</summary>
    public LogCapture Logs { get; }

    public string WorkflowsDir => Path.Combine(Root, "workflows");

    public IServiceProvider Services => _services;

    public WorkflowRunner Runner => _services.GetRequiredService<WorkflowRunner>();

    public WorkflowJournal Journal => _services.GetRequiredService<WorkflowJournal>();

    public WorkflowCatalog Catalog => _services.GetRequiredService<WorkflowCatalog>();

    public Recorder Recorder => _services.GetRequiredService<Recorder>();

    /// <param name="definitions">File name (without .json) to definition JSON.</param>
    public static async Task<StepEngineFixture> StartAsync(IReadOnlyDictionary<string, string> definitions, JournalFlush flush = JournalFlush.EveryActivity)
    {
        var root = Directory.CreateTempSubdirectory("supervisor-engine-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "workflows"));
        foreach (var (name, json) in definitions)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "workflows", name + ".json"), json);
        }

        // The production wiring, so that what the host builds (the journal's options and logger
        // among it) is what these tests run; its hosted services (Hangfire's servers, start-up and
        // recovery) are registered but never started, as no host runs here.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Supervisor:DataDir"] = root,
                ["Supervisor:WorkflowsDir"] = Path.Combine(root, "workflows"),
                ["Supervisor:JournalFlush"] = flush.ToString(),
            })
            .Build();
        var logs = new LogCapture();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(logs))
            .AddStepEngine(configuration)
            .AddSingleton<Recorder>()
            .AddWorkflowActivity<Echo>()
            .AddWorkflowActivity<Choose>()
            .AddWorkflowActivity<Boom>()
            .AddWorkflowActivity<Mark>()
            .AddWorkflowActivity<Reserve>()
            .AddWorkflowActivity<ProbeBeforeWriteAhead>()
            .AddWorkflowActivity<ProbeAfterWriteAhead>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        services.GetRequiredService<WorkflowCatalog>().Load(Path.Combine(root, "workflows"));
        return new StepEngineFixture(root, services, logs);
    }

    /// <summary>Starts a run of the active definition in memory, as the API does, and executes it to its end.</summary>
    public async Task<WorkflowRun> StartInMemoryAsync(string workflowId, object? input = null)
    {
        var definition = Catalog.Find(workflowId) ?? throw new InvalidOperationException($"no workflow {workflowId}");
        var (_, execution) = Runner.Start(definition, JsonSerializer.SerializeToElement(input ?? new { }), "test");
        return await execution;
    }

    /// <summary>Creates and executes a run of the active definition to its end.</summary>
    public async Task<WorkflowRun> RunAsync(string workflowId, object? input = null)
    {
        var definition = Catalog.Find(workflowId) ?? throw new InvalidOperationException($"no workflow {workflowId}");
        var runId = await Runner.CreateRunAsync(definition, JsonSerializer.SerializeToElement(input ?? new { }), "test");
        return await Runner.ExecuteAsync(runId);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
