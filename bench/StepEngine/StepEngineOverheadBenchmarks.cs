using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Bench.WorkflowCoreReference;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;
using WorkflowCore.Interface;

namespace Supervisor.Bench.StepEngine;

/// <summary>
/// Time per no-op activity: the step engine running inline with its SQLite journal (a real
/// file, migrated, <c>synchronous=FULL</c>), against WorkflowCore's in-memory host running a
/// chain of the same length. Both are timed per whole run and divided by the chain length, so
/// each run's fixed cost (creating it, reading it back) is shared among its activities.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class StepEngineOverheadBenchmarks : IDisposable
{
    public const int Activities = 20;

    private static readonly JsonElement NoInput = JsonSerializer.SerializeToElement(new { });

    private BenchDirectory? _directory;
    private ServiceProvider? _ours;
    private WorkflowRunner? _runner;
    private WorkflowDefinition? _definition;
    private ServiceProvider? _theirs;
    private IWorkflowHost? _host;
    private CompletionSignal? _signal;

    [GlobalSetup(Target = nameof(JournalledActivity))]
    public void SetUpStepEngine()
    {
        _directory = new BenchDirectory("overhead");
        _directory.WriteDefinition("noop-chain", BenchDefinitions.Chain("noop-chain", nameof(Noop), Activities));

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new SupervisorDatabase(Path.Combine(_directory.Data, "supervisor.db")));
        services.AddSingleton(JournalMigrations.Initial);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<WorkflowJournal>();
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<IWorkflowCatalog>(sp => sp.GetRequiredService<WorkflowCatalog>());
        services.AddSingleton<WorkflowRunner>();
        services.AddWorkflowActivity<Noop>();
        _ours = services.BuildServiceProvider();

        _ours.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        var catalog = _ours.GetRequiredService<WorkflowCatalog>();
        catalog.Load(_directory.Workflows);
        _definition = catalog.Find("noop-chain");
        _runner = _ours.GetRequiredService<WorkflowRunner>();
    }

    [GlobalCleanup(Target = nameof(JournalledActivity))]
    public void CleanUpStepEngine()
    {
        _ours?.Dispose();
        _ours = null;
        _directory?.Dispose();
        _directory = null;
    }

    [GlobalSetup(Target = nameof(WorkflowCoreStep))]
    public void SetUpWorkflowCore()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        // AddWorkflow's defaults: in-memory persistence and the single-node queue.
        services.AddWorkflow();
        services.AddSingleton<CompletionSignal>();
        services.AddTransient<NoopStep>();
        services.AddTransient<LastStep>();
        _theirs = services.BuildServiceProvider();

        _signal = _theirs.GetRequiredService<CompletionSignal>();
        _host = _theirs.GetRequiredService<IWorkflowHost>();
        _host.RegisterWorkflow<NoopChainWorkflow, object>();
        _host.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup(Target = nameof(WorkflowCoreStep))]
    public void CleanUpWorkflowCore()
    {
        _host?.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _host = null;
        _theirs?.Dispose();
        _theirs = null;
    }

    public void Dispose()
    {
        CleanUpStepEngine();
        CleanUpWorkflowCore();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Activities, Description = "WorkflowCore in-memory, per step")]
    public async Task WorkflowCoreStep()
    {
        var done = _signal!.Arm();
        await _host!.StartWorkflow(NoopChainWorkflow.WorkflowId, 1, new object()).ConfigureAwait(false);
        await done.ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Activities, Description = "Step engine + SQLite journal, per activity")]
    public async Task JournalledActivity()
    {
        var runId = await _runner!.CreateRunAsync(_definition!, NoInput, "bench").ConfigureAwait(false);
        var run = await _runner.ExecuteAsync(runId).ConfigureAwait(false);
        if (run.Status != RunStatus.Completed)
        {
            throw new InvalidOperationException($"The benchmark run ended {run.Status}: {run.Message}");
        }
    }
}
