using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Services;
using Supervisor.Activities.Services.Config;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Reporting;
using Supervisor.Reconciler.Target;

namespace Supervisor.Tests.Reconciler.Reporting;

/// <summary>The device-state view built from hand-made targets, containers, image rows and apply snapshots.</summary>
public sealed class DeviceStateViewTests
{
    private const string App = "app-uuid-1";
    private const string Old = "commit-old";
    private const string New = "commit-new";
    private const string ImageMain = "registry.local/main:v2";
    private const string ImageWorker = "registry.local/worker:v2";

    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Earlier.AddMinutes(5);

    private static TargetState Target(bool workerRunning = true) => TargetStateParser.Parse($$"""
        { "device": { "name": "d", "config": {}, "apps": { "{{App}}": { "id": 7, "name": "fleet", "class": "fleet",
          "releases": { "{{New}}": { "id": 70, "services": {
            "main":   { "id": 71, "image_id": 710, "image": "{{ImageMain}}", "environment": { "GREETING": "hi" } },
            "worker": { "id": 72, "image_id": 720, "image": "{{ImageWorker}}", "running": {{(workerRunning ? "true" : "false")}} } } } } } } } }
        """).State!;

    private static EngineContainer Container(string service, string commit, string state, DateTimeOffset created, string id) => new(
        id, $"{service}_{commit}", "image", "sha256:" + id, state, state == "running",
        new Dictionary<string, string>
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.AppUuid] = App,
            [ServiceLabels.ServiceName] = service,
            [ServiceLabels.Commit] = commit,
            [ServiceLabels.Config] = FingerprintOf(service),
        },
        created,
        StartedAt: null);

    /// <summary>As if created from the target's service, so only the release and running state tell containers apart.</summary>
    private static string FingerprintOf(string service)
    {
        if (!Target().Apps[App].Release!.Services.TryGetValue(service, out TargetService? declared))
        {
            return "not-in-the-target";
        }

        return ServiceConfigFingerprint.Of(declared.Image.ToString(), ReconcileSteps.Config(Target().Apps[App], declared));
    }

    private static ImageRecord Row(string name, string service, string commit, long? releaseId = null, long? imageId = null) =>
        new(1, name, App, service, commit, "sha256:" + service + commit, Earlier, 7, null, imageId, releaseId);

    private static readonly ImageRecord[] NewRows = [Row(ImageMain, "main", New), Row(ImageWorker, "worker", New)];

    [Fact]
    public void A_first_install_before_any_download_is_downloading_at_zero()
    {
        var view = DeviceStateView.Build(Target(), CurrentState.Empty, ApplySnapshot.Initial, []);

        var app = Assert.Single(view.Apps);
        Assert.Equal(UpdateStatus.Downloading, app.UpdateStatus);
        Assert.Null(app.Commit);
        Assert.Equal(New, app.TargetCommit);
        Assert.Equal(7, app.LegacyAppId);
        Assert.Equal(70, app.LegacyReleaseId);
        Assert.All(app.Services, s => Assert.Equal(("Downloading", 0), (s.Status, s.DownloadProgress)));
        Assert.Equal(["main", "worker"], app.Services.Select(s => s.Name));
        Assert.Equal(2, view.Images.Count(i => i.Status == "Downloading"));
        Assert.Equal(0, view.OverallDownloadProgress);
        Assert.False(view.Applying);
    }

    [Fact]
    public void A_download_under_way_shows_its_progress_per_service_and_overall()
    {
        var apply = ApplySnapshot.Initial with { Applying = true };
        ImageDownload[] downloads = [new(App, "main", New, ImageMain, 42, 420, 1000)];

        var view = DeviceStateView.Build(Target(), CurrentState.Empty, apply, downloads);

        var app = Assert.Single(view.Apps);
        Assert.Equal(UpdateStatus.Downloading, app.UpdateStatus);
        Assert.Equal(42, app.Services.Single(s => s.Name == "main").DownloadProgress);
        Assert.Equal(0, app.Services.Single(s => s.Name == "worker").DownloadProgress);
        Assert.Equal(21, view.OverallDownloadProgress);
        Assert.True(view.Applying);
    }

    [Fact]
    public void An_app_whose_containers_are_its_release_as_wanted_is_done()
    {
        var current = new CurrentState
        {
            Containers = [Container("main", New, "running", Later, "m2"), Container("worker", New, "running", Later, "w2")],
            Images = NewRows,
        };

        var view = DeviceStateView.Build(Target(), current, ApplySnapshot.Initial with { AtTarget = true }, []);

        var app = Assert.Single(view.Apps);
        Assert.Equal(UpdateStatus.Done, app.UpdateStatus);
        Assert.Equal(New, app.Commit);
        var main = app.Services[0];
        Assert.Equal(("Running", "m2", "sha256:m2", New), (main.Status, main.ContainerId, main.DockerImageId, main.Commit));
        Assert.Equal((71L, 710L, 70L), (main.LegacyServiceId!.Value, main.LegacyImageId!.Value, main.LegacyReleaseId!.Value));
        Assert.Equal("hi", main.Environment["GREETING"]);
        Assert.Null(main.DownloadProgress);
        Assert.All(view.Images, i => Assert.Equal("Downloaded", i.Status));
        Assert.Null(view.OverallDownloadProgress);
    }

    [Fact]
    public void A_locked_app_keeps_running_its_old_release_and_its_update_waits_downloaded()
    {
        var current = new CurrentState
        {
            Containers = [Container("main", Old, "running", Earlier, "m1"), Container("worker", Old, "running", Earlier, "w1")],
            Images = [.. NewRows, Row("registry.local/main:v1", "main", Old, releaseId: 60, imageId: 610)],
            LockedApps = new HashSet<string> { App },
        };
        var apply = ApplySnapshot.Initial with { Blocked = [new BlockedApp(App, BlockedApp.UpdatesLocked)] };

        var view = DeviceStateView.Build(Target(), current, apply, []);

        var app = Assert.Single(view.Apps);
        Assert.Equal(UpdateStatus.Downloaded, app.UpdateStatus);
        Assert.Equal("updates locked", app.BlockedReason);
        Assert.Equal(Old, app.Commit);
        var main = app.Services[0];
        Assert.Equal(("Running", "m1", Old), (main.Status, main.ContainerId, main.Commit));

        // The old release's numeric ids come from its image row, not from the target.
        Assert.Equal((610L, 60L), (main.LegacyImageId!.Value, main.LegacyReleaseId!.Value));
        var oldContainer = view.Containers.Single(c => c.ContainerId == "m1");
        Assert.Equal((7L, 610L, 60L), (oldContainer.LegacyAppId!.Value, oldContainer.LegacyImageId!.Value, oldContainer.LegacyReleaseId!.Value));
    }

    [Fact]
    public void Images_on_the_device_while_an_apply_runs_is_applying_changes()
    {
        var current = new CurrentState
        {
            Containers = [Container("main", Old, "running", Earlier, "m1"), Container("main", New, "created", Later, "m2")],
            Images = NewRows,
        };

        var view = DeviceStateView.Build(Target(), current, ApplySnapshot.Initial with { Applying = true }, []);

        var app = Assert.Single(view.Apps);
        Assert.Equal(UpdateStatus.ApplyingChanges, app.UpdateStatus);
        Assert.Equal(("Installed", "m2"), (app.Services[0].Status, app.Services[0].ContainerId));
        Assert.Equal(("Downloaded", null), (app.Services[1].Status, app.Services[1].ContainerId));
        Assert.Equal(Old, app.Commit);
    }

    [Fact]
    public void A_failed_apply_that_left_the_app_short_of_its_target_is_aborted()
    {
        var current = new CurrentState { Images = [NewRows[0]] };
        var apply = ApplySnapshot.Initial with { LastError = "pull failed", ConsecutiveFailures = 1 };

        var view = DeviceStateView.Build(Target(), current, apply, []);

        Assert.Equal(UpdateStatus.Aborted, Assert.Single(view.Apps).UpdateStatus);
    }

    [Fact]
    public void An_aborted_app_says_why_with_its_own_failure_else_the_applys_and_says_nothing_once_applying_again()
    {
        var current = new CurrentState { Images = [NewRows[0]] };
        var apply = ApplySnapshot.Initial with { LastError = "1 of 2 downloads failed: ...", ConsecutiveFailures = 1 };
        var own = apply with { FailedApps = [new AppFailure(App, "Downloading worker failed: connection refused")] };
        var others = apply with { FailedApps = [new AppFailure("another-app", "Downloading x failed: no space left")] };

        Assert.Equal("Downloading worker failed: connection refused", DeviceStateView.Build(Target(), current, own, []).Apps[0].UpdateError);
        Assert.Equal("1 of 2 downloads failed: ...", DeviceStateView.Build(Target(), current, others, []).Apps[0].UpdateError);
        Assert.Null(DeviceStateView.Build(Target(), current, own with { Applying = true }, []).Apps[0].UpdateError);
    }

    [Fact]
    public void A_target_no_pass_has_planned_yet_is_applying_rather_than_aborted_by_the_last_failure()
    {
        var current = new CurrentState { Images = [NewRows[0]] };
        var apply = ApplySnapshot.Initial with { LastError = "pull failed", ConsecutiveFailures = 1 };

        var view = DeviceStateView.Build(Target(), current, apply, [], targetPending: true);

        Assert.True(view.Applying);
        Assert.Equal(UpdateStatus.Downloading, Assert.Single(view.Apps).UpdateStatus);
    }

    [Fact]
    public void A_target_no_pass_has_planned_yet_that_the_device_already_runs_is_applied()
    {
        var current = new CurrentState
        {
            Containers = [Container("main", New, "running", Later, "m2"), Container("worker", New, "running", Later, "w2")],
            Images = NewRows,
            Networks = [new EngineNetwork("n1", $"{App}_default", new Dictionary<string, string> { [ServiceLabels.Supervised] = "true", [ServiceLabels.AppUuid] = App })],
        };

        var view = DeviceStateView.Build(Target(), current, ApplySnapshot.Initial, [], targetPending: true);

        Assert.False(view.Applying);
        Assert.Equal(UpdateStatus.Done, Assert.Single(view.Apps).UpdateStatus);
    }

    [Fact]
    public void A_service_not_meant_to_run_or_stopped_through_the_api_is_done_when_stopped()
    {
        var current = new CurrentState
        {
            Containers = [Container("main", New, "exited", Later, "m2"), Container("worker", New, "exited", Later, "w2")],
            Images = NewRows,
            StoppedByApi = new HashSet<(string, string)> { (App, "main") },
        };

        var view = DeviceStateView.Build(Target(workerRunning: false), current, ApplySnapshot.Initial, []);

        var app = Assert.Single(view.Apps);
        Assert.Equal(UpdateStatus.Done, app.UpdateStatus);
        Assert.All(app.Services, s => Assert.Equal("exited", s.Status));
    }

    [Fact]
    public void A_stopped_service_meant_to_run_or_a_leftover_service_leaves_the_update_pending()
    {
        var stopped = new CurrentState
        {
            Containers = [Container("main", New, "exited", Later, "m2"), Container("worker", New, "running", Later, "w2")],
            Images = NewRows,
        };
        var leftover = new CurrentState
        {
            Containers = [Container("main", New, "running", Later, "m2"), Container("worker", New, "running", Later, "w2"), Container("gone", Old, "running", Earlier, "g1")],
            Images = NewRows,
        };

        Assert.Equal(UpdateStatus.Downloaded, DeviceStateView.Build(Target(), stopped, ApplySnapshot.Initial, []).Apps[0].UpdateStatus);
        var view = DeviceStateView.Build(Target(), leftover, ApplySnapshot.Initial, []);
        Assert.Equal(UpdateStatus.Downloaded, view.Apps[0].UpdateStatus);
        Assert.Contains(view.Containers, c => c.ServiceName == "gone");
    }

    [Theory]
    [InlineData("running", "Running")]
    [InlineData("created", "Installed")]
    [InlineData("exited", "exited")]
    [InlineData("dead", "Dead")]
    [InlineData("paused", "paused")]
    public void Container_states_read_in_balenas_words(string engineState, string status) =>
        Assert.Equal(status, DeviceStateView.Status(Container("main", New, engineState, Later, "c")));

    [Fact]
    public void Without_a_target_there_are_no_apps_but_the_containers_are_still_listed()
    {
        var current = new CurrentState { Containers = [Container("main", Old, "running", Earlier, "m1")] };

        var view = DeviceStateView.Build(null, current, ApplySnapshot.Initial, []);

        Assert.Empty(view.Apps);
        Assert.Equal("m1", Assert.Single(view.Containers).ContainerId);
    }
}
