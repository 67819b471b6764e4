using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Bench.WorkflowCoreReference;
using Supervisor.Workflows.Runs;
using WorkflowCore.Interface;

namespace Supervisor.Bench.StepEngine;

/// <summary>
/// Time per no-op activity: the step engine running inline with its SQLite journal (a real
/// file on disk, migrated, <c>synchronous=FULL</c>), against WorkflowCore's in-memory host
/// running a chain of the same length. Both are timed per whole run and divided by the chain
/// length, so each run's fixed cost (creating it, reading it back) is shared among its activities.
/// Two diagnostics explain the difference: the same engine with its journal on tmpfs (where a
/// commit costs no disk flush), and one bare journal-style commit on disk.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class StepEngineOverheadBenchmarks : IDisposable
{
    public const int Activities = 20;

    private JournalledEngine? _onDisk;
    private JournalledEngine? _onTmpfs;
    private JournalledEngine? _flushedPerRun;
    private ServiceProvider? _theirs;
    private IWorkflowHost? _host;
    private CompletionSignal? _signal;
    private long _commits;

    [GlobalSetup(Targets = [nameof(JournalledActivity), nameof(BareCommit)])]
    public void SetUpOnDisk()
    {
        _onDisk = new JournalledEngine("overhead", Activities);
        using var connection = _onDisk.Database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("CREATE TABLE bench_commits (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);");
    }

    [GlobalSetup(Target = nameof(JournalledActivityOnTmpfs))]
    public void SetUpOnTmpfs() => _onTmpfs = new JournalledEngine("overhead-tmpfs", Activities, "/dev/shm");

    [GlobalSetup(Target = nameof(JournalledActivityFlushedPerRun))]
    public void SetUpFlushedPerRun() => _flushedPerRun = new JournalledEngine("overhead-per-run", Activities, flush: JournalFlush.RunStartAndEnd);

    [GlobalCleanup(Targets = [nameof(JournalledActivity), nameof(BareCommit), nameof(JournalledActivityOnTmpfs), nameof(JournalledActivityFlushedPerRun)])]
    public void CleanUpStepEngine()
    {
        _flushedPerRun?.Dispose();
        _flushedPerRun = null;
        _onDisk?.Dispose();
        _onDisk = null;
        _onTmpfs?.Dispose();
        _onTmpfs = null;
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

    [Benchmark(OperationsPerInvoke = Activities, Description = "Step engine + SQLite journal on disk, per activity")]
    public Task JournalledActivity() => _onDisk!.RunAsync();

    [Benchmark(OperationsPerInvoke = Activities, Description = "Step engine + journal on disk, JournalFlush=RunStartAndEnd")]
    public Task JournalledActivityFlushedPerRun() => _flushedPerRun!.RunAsync();

    [Benchmark(OperationsPerInvoke = Activities, Description = "(diagnostic) same, journal on tmpfs")]
    public Task JournalledActivityOnTmpfs() => _onTmpfs!.RunAsync();

    /// <summary>
    /// What the journal pays at least once per activity boundary: a pooled connection opened
    /// with its pragma, one small transaction, committed with <c>synchronous=FULL</c> on disk.
    /// </summary>
    [Benchmark(Description = "(diagnostic) one journal commit on disk")]
    public async Task BareCommit()
    {
        await using var connection = await _onDisk!.Database.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO bench_commits (id, at) VALUES (@id, 0);",
            new { id = Interlocked.Increment(ref _commits) },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
