using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;
using Supervisor.Workflows.Jobs;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// Sweeps the journal for runs nothing will finish (<see cref="StrandedRunSweeper"/>): once at
/// start-up, after the jobs a crash left Processing were requeued and the inline runs queued for
/// resuming, then every <see cref="JobOptions.StrandedRunSweepInterval"/> and whenever an apply ends.
/// </summary>
public sealed partial class StrandedRunWatch(StrandedRunSweeper sweeper, IOptions<JobOptions> options, TimeProvider time, ILogger<StrandedRunWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The watch must outlive any one sweep: the journal may be unreadable for a while.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, ex);
            }

            await sweeper.WaitAsync(options.Value.StrandedRunSweepInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweep for runs nothing will finish failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
