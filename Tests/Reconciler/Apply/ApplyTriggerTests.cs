using Microsoft.Extensions.Time.Testing;
using Supervisor.Reconciler.Apply;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>The reconcile loop's wait for a request, timed by the loop's <see cref="TimeProvider"/>.</summary>
public sealed class ApplyTriggerTests
{
    /// <summary>Long enough for a wait that should end only on fake time never to end on real time.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_wait_ends_with_no_request_when_fake_time_reaches_its_timeout_and_not_before()
    {
        var time = new FakeTimeProvider();
        var trigger = new ApplyTrigger();

        var wait = trigger.WaitAsync(TimeSpan.FromHours(1), time, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await wait.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_request_ends_a_wait_before_its_timeout_with_the_reason()
    {
        var time = new FakeTimeProvider();
        var trigger = new ApplyTrigger();

        var wait = trigger.WaitAsync(TimeSpan.FromHours(1), time, CancellationToken.None);
        trigger.Request("a new target");

        Assert.Equal("a new target", await wait.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_request_made_before_the_wait_is_answered_at_once_even_with_no_time_to_wait()
    {
        var trigger = new ApplyTrigger();
        trigger.Request("POST /v1/update");

        Assert.Equal("POST /v1/update", await trigger.WaitAsync(TimeSpan.Zero, new FakeTimeProvider(), CancellationToken.None));
        Assert.Null(await trigger.WaitAsync(TimeSpan.Zero, new FakeTimeProvider(), CancellationToken.None));
    }

    [Fact]
    public async Task Cancelling_the_wait_cancels_it_rather_than_answering_no_request()
    {
        using var stopping = new CancellationTokenSource();
        var wait = new ApplyTrigger().WaitAsync(TimeSpan.FromHours(1), new FakeTimeProvider(), stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Bound));
    }
}
