using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Host.StepEngine;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Bench.StepEngine;

/// <summary>
/// The runner with its journal and catalog, wired by the host's <c>AddStepEngine</c> (whose
/// Hangfire servers never start here, as no host runs), over a migrated database in its own
/// folder, with a loaded chain of <see cref="Noop"/> activities.
/// </summary>
public sealed class JournalledEngine : IDisposable
{
    private static readonly JsonElement EmptyInput = JsonSerializer.SerializeToElement(new { });

    private readonly BenchDirectory _directory;
    private readonly ServiceProvider _services;
    private readonly WorkflowRunner _runner;
    private readonly WorkflowDefinition _definition;

    public JournalledEngine(string purpose, int activities, string? root = null, JournalFlush flush = JournalFlush.EveryActivity)
    {
        _directory = new BenchDirectory(purpose, root);
        _directory.WriteDefinition("noop-chain", BenchDefinitions.Chain("noop-chain", nameof(Noop), activities));

        var configuration = BenchStepEngineConfiguration.For(_directory, flush);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStepEngine(configuration);
        services.AddWorkflowActivity<Noop>();
        _services = services.BuildServiceProvider();

        _services.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        var catalog = _services.GetRequiredService<WorkflowCatalog>();
        catalog.Load(_directory.Workflows);
        _definition = catalog.Find("noop-chain") ?? throw new InvalidOperationException("The chain definition did not load.");
        _runner = _services.GetRequiredService<WorkflowRunner>();
        Database = _services.GetRequiredService<SupervisorDatabase>();
    }

    public SupervisorDatabase Database { get; }

    /// <summary>Creates a run and executes it inline to its end, as the API does.</summary>
    public async Task RunAsync()
    {
        var runId = await _runner.CreateRunAsync(_definition, EmptyInput, "bench").ConfigureAwait(false);
        var run = await _runner.ExecuteAsync(runId).ConfigureAwait(false);
        if (run.Status != RunStatus.Completed)
        {
            throw new InvalidOperationException($"The benchmark run ended {run.Status}: {run.Message}");
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        _directory.Dispose();
    }
}
