using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Configuration;
using Supervisor.Host.Configuration;
using Supervisor.Host.Storage;
using Supervisor.Reconciler.Apply;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Builtins;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Jobs;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Host.StepEngine;

public static class StepEngineServiceCollectionExtensions
{
    /// <summary>
    /// The step engine: database and journal, definitions, runner, built-in activities and
    /// Hangfire on its own SQLite file. Hangfire's storage comes from dependency injection and is
    /// never read from its process-wide statics, so two hosts in one process (tests) each use
    /// their own database.
    /// </summary>
    public static IServiceCollection AddStepEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SupervisorOptions, SupervisorOptionsValidator>(configuration.GetSection(SupervisorOptions.Section));
        services.AddValidatedOptions<JobOptions, JobOptionsValidator>(configuration.GetSection(JobOptions.Section));
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new SupervisorDatabase(Path.Combine(sp.GetRequiredService<IOptions<SupervisorOptions>>().Value.DataDir, "supervisor.db")));
        services.AddJournalMigrations();
        services.AddSingleton<DatabaseMigrator>();
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton<DatabaseIntegrityCheck>();
        services.AddSingleton<DatabaseFailures>();
        services.AddOptions<JournalOptions>()
            .Configure<IOptions<SupervisorOptions>>((journal, supervisor) => journal.Flush = supervisor.Value.JournalFlush);
        services.AddSingleton<WorkflowJournal>();
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<IWorkflowCatalog>(sp => sp.GetRequiredService<WorkflowCatalog>());
        services.AddSingleton<RunProgressBoard>();
        services.AddSingleton<RunEndSignal>();
        services.AddSingleton<IRunEndListener>(sp => sp.GetRequiredService<RunEndSignal>());
        services.AddSingleton<WorkflowRunner>();
        services.AddTransient<WorkflowJob>();
        services.AddSingleton<WorkflowScheduler>();
        services.AddSingleton<ProcessingJobRequeuer>();
        services.AddSingleton<PerformingJobs>();
        services.AddSingleton<StrandedRunSweeper>();
        services.AddSingleton<ScheduleRegistrar>();

        services.AddWorkflowActivity<Fail>();
        services.AddWorkflowActivity<Delay>();
        services.AddWorkflowActivity<Respond>();

        services.AddSingleton<QueueWakeUp>();
        services.AddSingleton<JobStorage>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<SupervisorOptions>>().Value;
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            Directory.CreateDirectory(settings.DataDir);
            var options = new SQLiteStorageOptions
            {
                QueuePollInterval = jobs.QueuePollInterval,
                InvisibilityTimeout = jobs.InvisibilityTimeout,
            };
            var storage = new SQLiteStorage(DatabaseFailures.HangfirePath(settings.DataDir), options);
            storage.QueueProviders.Add(new WakeableJobQueueProvider(options, sp.GetRequiredService<QueueWakeUp>()), [.. WorkflowQueues.All, ApplyJob.Queue]);
            return storage;
        });
        services.AddHangfire((sp, configuration) => configuration
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseTypeResolver(MovedJobTypes.Resolve)
            .UseRecommendedSerializerSettings());

        // Every job the supervisor queues wakes the workers, which otherwise find it only at their next poll.
        var client = services.Last(d => d.ServiceType == typeof(IBackgroundJobClient));
        services.Remove(client);
        services.AddSingleton<IBackgroundJobClient>(sp => new WakingBackgroundJobClient(
            (IBackgroundJobClientV2)(client.ImplementationFactory?.Invoke(sp) ?? client.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(sp, client.ImplementationType!)),
            sp.GetRequiredService<QueueWakeUp>()));

        // Runs before the servers start (hosted services start in the order they are added).
        services.AddHostedService<StepEngineStartup>();

        // One full server for the default queue; lightweight ones (no schedulers of their own)
        // give the fetch queue a few workers and the removal queue exactly one.
        services.AddHangfireServer((sp, server) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            server.ServerName = $"supervisor-default-{Environment.ProcessId}";
            server.Queues = [WorkflowQueues.Default];
            server.WorkerCount = jobs.DefaultWorkers;
            server.SchedulePollingInterval = jobs.SchedulePollingInterval;
        });
        services.AddHangfireServer((sp, server) =>
        {
            server.ServerName = $"supervisor-fetch-{Environment.ProcessId}";
            server.Queues = [WorkflowQueues.Fetch];
            server.WorkerCount = sp.GetRequiredService<IOptions<JobOptions>>().Value.FetchWorkers;
            server.IsLightweightServer = true;
        });
        services.AddHangfireServer((_, server) =>
        {
            server.ServerName = $"supervisor-removal-{Environment.ProcessId}";
            server.Queues = [WorkflowQueues.Removal];
            server.WorkerCount = 1;
            server.IsLightweightServer = true;
        });

        // One apply at a time: the reconciler's apply jobs have a queue and a worker of their own,
        // so an apply waiting for its downloads never holds up a default-queue run.
        services.AddHangfireServer((_, server) =>
        {
            server.ServerName = $"supervisor-apply-{Environment.ProcessId}";
            server.Queues = [ApplyJob.Queue];
            server.WorkerCount = 1;
            server.IsLightweightServer = true;
        });

        services.AddHostedService<StepEngineRecovery>();
        services.AddHostedService<StrandedRunWatch>();
        return services;
    }
}
