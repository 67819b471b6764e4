using Supervisor.Activities.Reconciler;
using Supervisor.Activities.TargetState;

namespace Supervisor.Tests.Activities.Reconciler;

/// <summary>The hand-off of the loop's plan to its apply job.</summary>
public sealed class PlannedAppliesTests
{
    private static PlannedApply Planned(string id) => new(id, new ReconcilePlan(), Revision: 1, Force: false);

    [Fact]
    public void The_job_takes_its_own_plan_once()
    {
        var plans = new PlannedApplies();
        var planned = Planned("a");
        plans.Offer(planned);

        Assert.Same(planned, plans.TryTake("a"));
        Assert.Null(plans.TryTake("a"));
    }

    [Fact]
    public void A_job_whose_plan_was_replaced_or_never_offered_gets_none()
    {
        var plans = new PlannedApplies();
        plans.Offer(Planned("stale"));
        plans.Offer(Planned("fresh"));

        // A job requeued after a restart names a plan this process never made.
        Assert.Null(plans.TryTake("stale"));
        Assert.Null(plans.TryTake("before-the-restart"));
        Assert.NotNull(plans.TryTake("fresh"));
    }

    [Fact]
    public void A_withdrawn_plan_is_gone_but_another_stays()
    {
        var plans = new PlannedApplies();
        plans.Offer(Planned("a"));
        plans.Withdraw("other");
        plans.Withdraw("a");

        Assert.Null(plans.TryTake("a"));
    }
}
