using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Bench.StepEngine;

/// <summary>
/// What the journal pays, per run, to keep the history of runs that changed nothing: runs of two
/// steps, shaped like a refused <c>restart-service</c>, queued to be written behind in batches as
/// the device API queues them, timed until they are on disk. The table grows across iterations,
/// as a device's history does. With <see cref="Refused"/> they end Failed <c>Locked</c>, so the
/// journal keeps the first of the minute and counts the others; without, they end Completed and
/// each is written in full.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class WriteBehindBenchmarks : IDisposable
{
    public const int Runs = 500;

    private static readonly JsonElement Input = JsonSerializer.SerializeToElement(new
    {
        appUuid = "benchapp0123456789", appId = 77, serviceName = "main", commit = "c1", force = false, gracePeriod = 10,
    });

    private static readonly JsonElement LockOutput = JsonSerializer.SerializeToElement(new
    {
        message = "Updates are locked for app benchapp0123456789, service main: updates.lock exists.",
    });

    [Params(true, false)]
    public bool Refused { get; set; }

    private BenchDirectory? _directory;
    private WorkflowJournal? _journal;
    private WorkflowDefinition? _definition;

    [GlobalSetup]
    public void SetUp()
    {
        _directory = new BenchDirectory("write-behind");
        _directory.WriteDefinition("refused", BenchDefinitions.Chain("refused", nameof(Noop), 2));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflowActivity<Noop>();
        services.AddSingleton<WorkflowCatalog>();
        using (var provider = services.BuildServiceProvider())
        {
            var catalog = provider.GetRequiredService<WorkflowCatalog>();
            catalog.Load(_directory.Workflows);
            _definition = catalog.Find("refused") ?? throw new InvalidOperationException("The definition did not load.");
        }

        var database = new SupervisorDatabase(Path.Combine(_directory.Data, "supervisor.db"));
        new DatabaseMigrator(database, JournalMigrations.All, NullLogger<DatabaseMigrator>.Instance).MigrateAsync().GetAwaiter().GetResult();
        _journal = new WorkflowJournal(database, Options.Create(new JournalOptions()), NullLogger<WorkflowJournal>.Instance);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _journal?.Dispose();
        _journal = null;
        _directory?.Dispose();
        _directory = null;
    }

    public void Dispose()
    {
        CleanUp();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Runs, Description = "run of 2 steps written behind, per run")]
    public async Task RunWrittenBehind()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        for (var i = 0; i < Runs; i++)
        {
            var id = Guid.CreateVersion7(now).ToString("N");
            _journal!.WriteBehind(_definition!, new WorkflowRun(
                id, "refused", 1, _definition!.ContentHash, Refused ? RunStatus.Failed : RunStatus.Completed, "api", Input,
                Refused ? "Locked" : null, Refused ? "Updates are locked for app benchapp0123456789, service main: updates.lock exists." : null, now, now,
                [
                    new WorkflowRunStep(1, "lock", "AcquireUpdateLocks", 1, now, now, "Locked", LockOutput, null),
                    new WorkflowRunStep(2, "locked", "Fail", 1, now, now, null, null, null),
                ]));
        }

        // Reading waits for every run queued before it to be written.
        await _journal!.GetRunAsync("none").ConfigureAwait(false);
    }
}
