using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Target;

namespace Supervisor.Bench.Reconcile;

/// <summary>Stores a target and waits for the apply job that takes it to end, as the reconcile benches measure it.</summary>
internal static class AppliedTarget
{
    public static async Task SaveAndWaitAsync(TargetStateStore store, ApplyStatus status, TargetState target)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedAt = DateTimeOffset.UtcNow;
        void OnChanged(object? sender, EventArgs e)
        {
            if (status.Current is { Applying: false, LastApplyEndedAt: { } ended } current && ended >= startedAt)
            {
                _ = current.LastError is { } error ? applied.TrySetException(new InvalidOperationException($"The apply failed: {error}")) : applied.TrySetResult();
            }
        }

        status.Changed += OnChanged;
        try
        {
            await store.SaveAsync(target, "bench").ConfigureAwait(false);
            await applied.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        }
        finally
        {
            status.Changed -= OnChanged;
        }
    }
}
