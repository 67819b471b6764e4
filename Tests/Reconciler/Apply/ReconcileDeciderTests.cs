using Supervisor.Reconciler.Apply;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>The reconcile loop's decisions, from plain snapshots and times: no loop, no engine, no clock.</summary>
public sealed class ReconcileDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly ReconcilerOptions Settings = new()
    {
        Interval = TimeSpan.FromMinutes(1),
        BackoffBase = TimeSpan.FromSeconds(2),
        BackoffCap = TimeSpan.FromMinutes(5),
        ApplyStuckAfter = TimeSpan.FromHours(2),
    };

    private static ApplySnapshot Idle(DateTimeOffset? lastApplyEndedAt = null) =>
        ApplySnapshot.Initial with { LastApplyEndedAt = lastApplyEndedAt };

    [Fact]
    public void An_apply_under_way_is_awaited_without_reading()
    {
        var status = ApplySnapshot.Initial with { Applying = true, ApplyStartedAt = Now.AddMinutes(-10) };

        Assert.Equal(ApplyGate.AwaitApply, ReconcileDecider.Gate(status, Now, Settings));
    }

    [Fact]
    public void An_apply_under_way_past_ApplyStuckAfter_is_abandoned()
    {
        var status = ApplySnapshot.Initial with { Applying = true, ApplyStartedAt = Now - Settings.ApplyStuckAfter - TimeSpan.FromSeconds(1) };

        Assert.Equal(ApplyGate.AbandonStuckApply, ReconcileDecider.Gate(status, Now, Settings));
    }

    [Fact]
    public void No_apply_under_way_reads()
    {
        Assert.Equal(ApplyGate.Read, ReconcileDecider.Gate(Idle(), Now, Settings));
    }

    [Fact]
    public void Work_with_no_earlier_attempt_applies_now_and_counts_the_attempt()
    {
        var decision = ReconcileDecider.Decide(PlanShape.Work, attempts: 0, newTarget: false, Idle(), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.Apply, 1, Now + Settings.Interval), decision);
        Assert.Equal(0, decision.ConsecutiveFailures);
    }

    [Fact]
    public void Work_right_after_an_apply_waits_out_the_backoff_from_its_end()
    {
        var ended = Now.AddSeconds(-1);

        var decision = ReconcileDecider.Decide(PlanShape.Work, attempts: 2, newTarget: false, Idle(ended), Now, Settings);

        // Backoff(2) = 4 s after the apply ended; the attempts do not grow while waiting.
        Assert.Equal(new PassDecision(PassAction.Backoff, 2, ended + TimeSpan.FromSeconds(4)), decision);
        Assert.Null(decision.ConsecutiveFailures);
    }

    [Fact]
    public void Work_once_the_backoff_is_over_applies()
    {
        var ended = Now.AddSeconds(-4);

        var decision = ReconcileDecider.Decide(PlanShape.Work, attempts: 2, newTarget: false, Idle(ended), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.Apply, 3, Now + Settings.Interval), decision);
        Assert.Equal(2, decision.ConsecutiveFailures);
    }

    [Fact]
    public void A_new_target_ends_the_backoff()
    {
        var decision = ReconcileDecider.Decide(PlanShape.Work, attempts: 5, newTarget: true, Idle(Now.AddSeconds(-1)), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.Apply, 1, Now + Settings.Interval), decision);
    }

    [Fact]
    public void At_target_forgets_the_attempts()
    {
        var decision = ReconcileDecider.Decide(PlanShape.Nothing, attempts: 4, newTarget: false, Idle(), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.AtTarget, 0, Now + Settings.Interval), decision);
        Assert.Equal(0, decision.ConsecutiveFailures);
    }

    [Fact]
    public void Only_blocked_apps_look_again_after_a_growing_backoff()
    {
        var first = ReconcileDecider.Decide(PlanShape.OnlyBlocked, attempts: 0, newTarget: false, Idle(), Now, Settings);
        var second = ReconcileDecider.Decide(PlanShape.OnlyBlocked, first.Attempts, newTarget: false, Idle(), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.Blocked, 1, Now + TimeSpan.FromSeconds(2)), first);
        Assert.Equal(new PassDecision(PassAction.Blocked, 2, Now + TimeSpan.FromSeconds(4)), second);
    }

    [Fact]
    public void An_unreadable_engine_retries_after_the_backoff()
    {
        var decision = ReconcileDecider.Decide(PlanShape.EngineUnreadable, attempts: 3, newTarget: false, Idle(), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.Retry, 4, Now + TimeSpan.FromSeconds(16)), decision);
        Assert.Equal(4, decision.ConsecutiveFailures);
    }

    [Fact]
    public void No_target_waits_for_the_interval_and_keeps_the_attempts()
    {
        Assert.Equal(
            new PassDecision(PassAction.Wait, 3, Now + Settings.Interval),
            ReconcileDecider.Decide(PlanShape.NoTarget, attempts: 3, newTarget: false, Idle(), Now, Settings));
        Assert.Equal(
            new PassDecision(PassAction.Wait, 0, Now + Settings.Interval),
            ReconcileDecider.Decide(PlanShape.NoTarget, attempts: 3, newTarget: true, Idle(), Now, Settings));
    }

    [Fact]
    public void An_apply_that_could_not_be_queued_retries_after_the_backoff_of_its_attempt()
    {
        var apply = ReconcileDecider.Decide(PlanShape.Work, attempts: 1, newTarget: false, Idle(), Now, Settings);

        Assert.Equal(new PassDecision(PassAction.Retry, 2, Now + TimeSpan.FromSeconds(4)), ReconcileDecider.QueueFailed(apply, Now, Settings));
    }

    [Fact]
    public void A_failed_pass_retries_after_a_growing_backoff_that_a_new_target_restarts()
    {
        Assert.Equal(new PassDecision(PassAction.Retry, 3, Now + TimeSpan.FromSeconds(8)), ReconcileDecider.PassFailed(2, newTarget: false, Now, Settings));
        Assert.Equal(new PassDecision(PassAction.Retry, 1, Now + TimeSpan.FromSeconds(2)), ReconcileDecider.PassFailed(2, newTarget: true, Now, Settings));
    }

    [Fact]
    public void The_backoff_stops_growing_at_its_cap()
    {
        var decision = ReconcileDecider.Decide(PlanShape.OnlyBlocked, attempts: 40, newTarget: false, Idle(), Now, Settings);

        Assert.Equal(Now + Settings.BackoffCap, decision.Due);
    }
}
