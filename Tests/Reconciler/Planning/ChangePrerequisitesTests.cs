using System.Text.Json;
using Supervisor.Reconciler.Planning;

namespace Supervisor.Tests.Reconciler.Planning;

public class ChangePrerequisitesTests
{
    private const string App = "app-a";
    private const string Other = "app-b";

    [Fact]
    public void Services_of_an_app_wait_for_its_networks_and_volumes_and_each_for_its_own_earlier_changes_only()
    {
        var plan = Plan(
            [
                Step("create-network", App, null),
                Step("create-service", App, "web"),
                Step("start-service", App, "web"),
                Step("create-service", App, "worker"),
                Step("start-service", App, "worker"),
            ]);

        Assert.Equal([[], [0], [0, 1], [0], [0, 3]], Of(plan));
    }

    [Fact]
    public void A_service_waits_for_every_change_of_the_services_it_depends_on_and_they_for_it()
    {
        var plan = Plan(
            [
                Step("create-service", App, "db"),
                Step("start-service", App, "db"),
                Step("create-service", App, "web"),
                Step("start-service", App, "web"),
                Step("remove-service", App, "db", needsLock: true),
            ],
            [new ServiceDependency(App, "web", "db")]);

        Assert.Equal([[], [0], [0, 1], [0, 1, 2], [0, 1, 2, 3]], Of(plan));
    }

    [Fact]
    public void Changes_that_take_the_apps_update_lock_keep_their_order_and_other_apps_never_wait()
    {
        var plan = Plan(
            [
                Step("remove-service", App, "web", needsLock: true),
                Step("remove-service", App, "worker", needsLock: true),
                Step("create-service", App, "worker"),
                Step("remove-service", Other, "web", needsLock: true),
                Step("remove-network", Other, null),
                Step("create-service", App, "web"),
            ]);

        Assert.Equal([[], [0], [1], [], [3], [0]], Of(plan));
    }

    [Fact]
    public void A_change_whose_workflow_takes_the_lock_though_it_needs_none_waits_for_the_apps_other_lock_takers()
    {
        // remove-service of a stopped container needs no lock, but its definition takes the app's.
        var plan = Plan(
            [
                Step("remove-service", App, "web", needsLock: true),
                Step("remove-service", App, "worker"),
                Step("create-service", App, "db"),
            ]);

        Assert.Equal([[], [], []], Of(plan));
        Assert.Equal([[], [0], []], Of(plan, step => step.Workflow == "remove-service"));
    }

    [Fact]
    public void A_dependency_in_another_app_of_the_same_name_orders_nothing()
    {
        var plan = Plan(
            [Step("create-service", App, "db"), Step("create-service", Other, "web")],
            [new ServiceDependency(Other, "web", "db")]);

        Assert.Equal([[], []], Of(plan));
    }

    private static int[][] Of(ReconcilePlan plan, Func<ReconcileStep, bool>? takesAppLock = null) =>
        [.. ChangePrerequisites.Of(plan, takesAppLock ?? (_ => false)).Select(p => p.ToArray())];

    private static ReconcilePlan Plan(ReconcileStep[] steps, ServiceDependency[]? dependencies = null) =>
        new() { ServiceChanges = steps, Dependencies = dependencies ?? [] };

    private static ReconcileStep Step(string workflow, string app, string? service, bool needsLock = false) =>
        new(workflow, JsonSerializer.SerializeToElement(new { appUuid = app }), app, service, needsLock);
}
