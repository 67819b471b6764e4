using Supervisor.Reconciler.Current;

namespace Supervisor.Tests.Reconciler.Current;

/// <summary>The marks of services stopped through the API, as the stop workflows make, keep and take them back.</summary>
public sealed class ApiStoppedServicesTests
{
    private const string App = "app-uuid-1";

    [Fact]
    public void A_run_that_keeps_its_marks_leaves_them_after_its_end()
    {
        var stopped = new ApiStoppedServices();
        stopped.MarkForRun("run-1", App, ["main"]);
        stopped.KeepForRun("run-1");
        stopped.RunEnded("run-1");

        Assert.Contains((App, "main"), stopped.Snapshot());
    }

    [Fact]
    public void A_run_that_ends_without_keeping_takes_back_only_the_marks_it_added()
    {
        var stopped = new ApiStoppedServices();
        stopped.Add(App, "main");
        stopped.MarkForRun("run-1", App, ["main", "worker"]);

        // Marked while the run goes on, so that no pass starts them in between.
        Assert.Contains((App, "worker"), stopped.Snapshot());
        stopped.RunEnded("run-1");

        Assert.Equal([(App, "main")], stopped.Snapshot());
    }

    [Fact]
    public void The_end_of_a_run_that_marked_nothing_changes_nothing()
    {
        var stopped = new ApiStoppedServices();
        stopped.Add(App, "main");
        stopped.RunEnded("run-of-the-reconciler");

        Assert.Equal([(App, "main")], stopped.Snapshot());
    }

    [Fact]
    public void A_stop_that_ends_locked_does_not_take_back_the_mark_of_a_forced_stop_that_went_through()
    {
        var stopped = new ApiStoppedServices();
        stopped.MarkForRun("unforced", App, ["main"]);
        stopped.MarkForRun("forced", App, ["main"]);
        stopped.KeepForRun("forced");
        stopped.RunEnded("forced");

        // The unforced stop met the user's lock and ends Locked after the forced one stopped the service.
        stopped.RunEnded("unforced");

        Assert.Equal([(App, "main")], stopped.Snapshot());
    }
}
