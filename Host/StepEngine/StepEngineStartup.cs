using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Jobs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// What must hold before any job runs: the database at the newest schema, every definition
/// valid (an invalid one stops the host, naming file, location and reason), and jobs a crash
/// left "Processing" back in their queues. Registered before the Hangfire servers, so it runs first.
/// </summary>
public sealed class StepEngineStartup(
    DatabaseMigrator migrator,
    WorkflowCatalog catalog,
    ProcessingJobRequeuer requeuer,
    IEnumerable<IStartupRecovery> recoveries,
    IOptions<SupervisorOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var directory = options.Value.ResolveWorkflowsDir();
        if (string.IsNullOrWhiteSpace(options.Value.WorkflowsDir))
        {
            // The default folder beside the program may simply have no definitions shipped in it yet;
            // a folder that was configured and is missing stays an error (most likely a typo).
            Directory.CreateDirectory(directory);
        }

        catalog.Load(directory);
        foreach (var recovery in recoveries)
        {
            await recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);
        }

        requeuer.RequeueAll();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
