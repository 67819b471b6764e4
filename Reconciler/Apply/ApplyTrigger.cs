using System.Threading.Channels;

namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Asks the reconcile loop for a pass now (a new target, <c>POST /v1/update</c>, a service
/// stopped or started through the API). Requests made while a pass is pending are merged into
/// it: the next pass plans from the state of that moment, so one pass answers them all.
/// </summary>
public sealed class ApplyTrigger
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Requests a pass; <paramref name="reason"/> is logged with it.</summary>
    public void Request(string reason) => _requests.Writer.TryWrite(reason);

    /// <summary>
    /// Waits for a request, at most <paramref name="timeout"/> as <paramref name="time"/> counts it
    /// (so that a test's fake clock, not the wall clock, ends the wait); null when none came.
    /// </summary>
    public async Task<string?> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (_requests.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await _requests.Reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
