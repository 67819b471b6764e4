using System.ComponentModel;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Workflows.Activities;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Waits until each of the services named has a running container again, which the reconcile loop brings about
/// (after a purge, it creates the app's volumes and containers again from the target): balena answers a purge once
/// the app runs again, so a caller that purges and then talks to the service finds it there. When the reconcile
/// loop is turned off nothing would bring them back, so there is nothing to wait for and the step ends at once,
/// saying so in its output. A service not running after <c>timeout</c> fails the run with reason <c>TimedOut</c>.
/// </summary>
[Description("Waits until the services named run again (the reconciler brings them back), or fails after timeout.")]
public sealed class AwaitAppRunning(IDockerEngine engine, IOptions<ReconcilerOptions> reconciler, TimeProvider time)
    : WorkflowActivity<AwaitAppRunning.Input, AwaitAppRunning.Output>
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!reconciler.Value.Enabled)
        {
            return Completed(new Output { Awaited = false });
        }

        var deadline = time.GetUtcNow() + input.Timeout;
        while (true)
        {
            var running = ServiceContainers.NewestPerService(await ServiceContainers.FindAppAsync(engine, input.AppUuid, cancellationToken).ConfigureAwait(false))
                .Where(c => c.Running)
                .Select(c => c.Labels.GetValueOrDefault(ServiceLabels.ServiceName))
                .ToHashSet(StringComparer.Ordinal);
            var missing = input.Services.Where(s => !running.Contains(s)).ToList();
            if (missing.Count == 0)
            {
                return Completed(new Output { Awaited = true });
            }

            if (time.GetUtcNow() >= deadline)
            {
                return Fail("TimedOut",
                    $"{string.Join(", ", missing)} of app {input.AppUuid} did not run again within {input.Timeout}; " +
                    "GET /v3/plan shows what the reconciler still has to do, and its log why it could not.");
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public sealed record Input
    {
        [Description("The app's uuid.")]
        public required string AppUuid { get; init; }

        [Description("The services that must run again.")]
        public IReadOnlyList<string> Services { get; init; } = [];

        [Description("How long to wait (hh:mm:ss).")]
        public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    }

    public sealed record Output
    {
        [Description("False when the reconcile loop is off, so nothing was waited for.")]
        public bool Awaited { get; init; }
    }
}
