using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Planning;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>The hand-off of the loop's plan to its apply job.</summary>
public sealed class PlannedAppliesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static PlannedApply Planned(string id) => new(id, new ReconcilePlan(), Revision: 1, Force: false, PlannedAt: Noon);

    [Fact]
    public void The_job_takes_its_own_plan_once()
    {
        var plans = new PlannedApplies();
        var planned = Planned("a");
        plans.Offer(planned);

        Assert.Same(planned, plans.TryTake("a", null));
        Assert.Null(plans.TryTake("a", null));
    }

    [Fact]
    public void A_job_whose_plan_was_replaced_or_never_offered_gets_none()
    {
        var plans = new PlannedApplies();
        plans.Offer(Planned("stale"));
        plans.Offer(Planned("fresh"));

        // A job requeued after a restart names a plan this process never made.
        Assert.Null(plans.TryTake("stale", null));
        Assert.Null(plans.TryTake("before-the-restart", null));
        Assert.NotNull(plans.TryTake("fresh", null));
    }

    [Fact]
    public void A_withdrawn_plan_is_gone_but_another_stays()
    {
        var plans = new PlannedApplies();
        plans.Offer(Planned("a"));
        plans.Withdraw("other");
        plans.Withdraw("a");

        Assert.Null(plans.TryTake("a", null));
    }

    [Fact]
    public void A_plan_made_before_an_apply_that_ended_since_is_not_run()
    {
        var plans = new PlannedApplies();
        plans.Offer(Planned("behind-a-stuck-one"));

        // The apply abandoned as stuck ended a minute after this plan read the device.
        Assert.Null(plans.TryTake("behind-a-stuck-one", Noon.AddMinutes(1)));
        Assert.Null(plans.TryTake("behind-a-stuck-one", null));

        plans.Offer(Planned("after-it"));
        Assert.NotNull(plans.TryTake("after-it", Noon.AddSeconds(-1)));
    }
}
