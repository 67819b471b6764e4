using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Supervisor.Reconciler.Cloud;

/// <summary>Polls the cloud in the background while <c>Supervisor:Cloud:BaseUrl</c> is set (and not in local mode).</summary>
public sealed class CloudTargetStatePoller(CloudTargetStateSource source, IOptions<CloudOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await source.PollOnceAsync(stoppingToken).ConfigureAwait(false);
#pragma warning disable CA5394 // Jitter spreads a fleet's polls; it needs no cryptographic randomness.
            var delay = source.NextDelay(Random.Shared.NextDouble());
#pragma warning restore CA5394
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
