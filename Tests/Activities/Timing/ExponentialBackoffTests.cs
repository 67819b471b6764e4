using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Supervisor.Activities.Images;
using Supervisor.Activities.Timing;
using Supervisor.Reconciler.Apply;

namespace Supervisor.Tests.Activities.Timing;

public sealed class ExponentialBackoffTests
{
    private static readonly ExponentialBackoff TwoSecondsUpToFiveMinutes = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(10, 300)]
    public void Doubles_from_the_first_wait_up_to_the_cap(int attempt, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), TwoSecondsUpToFiveMinutes.Delay(attempt));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1_000)]
    [InlineData(int.MaxValue)]
    public void A_long_run_of_failures_stays_at_the_cap(int attempt)
    {
        Assert.Equal(TimeSpan.FromMinutes(5), TwoSecondsUpToFiveMinutes.Delay(attempt));
        Assert.Equal(TimeSpan.MaxValue, new ExponentialBackoff(TimeSpan.FromDays(1), TimeSpan.MaxValue).Delay(attempt));
    }

    [Fact]
    public void A_cap_below_the_first_wait_wins()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Delay(5));
    }

    [Fact]
    public void A_first_wait_of_zero_never_waits()
    {
        Assert.Equal(TimeSpan.Zero, new ExponentialBackoff(TimeSpan.Zero, TimeSpan.FromMinutes(5)).Delay(7));
        Assert.Equal(TimeSpan.Zero, new ExponentialBackoff(TimeSpan.FromSeconds(-1), TimeSpan.FromMinutes(5)).Delay(7));
    }

    [Fact]
    public void The_reconciler_keeps_its_numbers()
    {
        var options = new ReconcilerOptions();

        Assert.Equal(TimeSpan.Zero, options.Backoff(0));
        Assert.Equal(TimeSpan.FromSeconds(2), options.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(128), options.Backoff(7));
        Assert.Equal(TimeSpan.FromSeconds(256), options.Backoff(8));
        Assert.Equal(TimeSpan.FromMinutes(5), options.Backoff(9));
    }

    [Fact]
    public void An_image_is_held_twice_the_increment_after_its_first_failure()
    {
        // balena's rule: after n failures, 2^n × increment (so 1 s, 2 s, 4 s with 500 ms), up to the cap.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var backoff = new ImageFetchBackoff(time, Options.Create(new ImageOptions { FetchBackoffIncrement = TimeSpan.FromMilliseconds(500), FetchBackoffCap = TimeSpan.FromSeconds(3) }));
        var start = time.GetUtcNow();

        backoff.RecordFailure("app/one", "refused");
        Assert.Equal(start + TimeSpan.FromSeconds(1), backoff.HeldUntil("app/one"));

        backoff.RecordFailure("app/one", "refused");
        Assert.Equal(start + TimeSpan.FromSeconds(2), backoff.HeldUntil("app/one"));

        backoff.RecordFailure("app/one", "refused");
        Assert.Equal(start + TimeSpan.FromSeconds(3), backoff.HeldUntil("app/one"));

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(backoff.HeldUntil("app/one"));
    }
}
