using System.Text.Json;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Services;
using Supervisor.Activities.Services.Config;
using Supervisor.Activities.Volumes;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Tests.Reconciler.Planning;

using TargetStateModel = TargetState;

public class ReconcilePlannerTests
{
    private const string Device = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string App = "d149c5d1551b4286a930d57284a02511";
    private const string OtherApp = "0ab2c5d1551b4286a930d57284a02599";
    private const string V1 = "1111111111111111aaaaaaaaaaaaaaaa";
    private const string V2 = "2222222222222222bbbbbbbbbbbbbbbb";
    private const string ImageV1 = "registry.example.com/app/main:v1";
    private const string ImageV2 = "registry.example.com/app/main:v2";
    private const string WorkerImage = "registry.example.com/app/worker:v1";

    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_first_install_fetches_every_image_then_creates_and_starts_every_service()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "id": 11, "image_id": 21, "image": "{{ImageV1}}" },
            "worker": { "id": 12, "image_id": 22, "image": "{{WorkerImage}}" }
            """));

        ReconcilePlan plan = ReconcilePlanner.Plan(target, CurrentState.Empty);

        Assert.Equal(
            [$"fetch-image main@{V1}", $"fetch-image worker@{V1}"],
            Describe(plan.Fetches));
        AssertJson(
            $$"""
            { "image": "{{ImageV1}}", "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}",
              "appId": 1, "serviceId": 11, "imageId": 21, "releaseId": 5 }
            """,
            plan.Fetches[0].Input);
        Assert.Equal(
            ["create-network default@", $"create-service main@{V1}", $"start-service main@{V1}", $"create-service worker@{V1}", $"start-service worker@{V1}"],
            Describe(plan.ServiceChanges));
        AssertJson(
            $$"""{ "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}" }""",
            plan.ServiceChanges[2].Input);
        Assert.Empty(plan.Removals);
        Assert.Empty(plan.Blocked);
        Assert.False(plan.IsEmpty);
        Assert.All(plan.Fetches.Concat(plan.ServiceChanges), s => Assert.Equal(App, s.AppUuid));
    }

    [Fact]
    public void Create_service_carries_the_whole_service_as_its_workflow_takes_it()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": {
              "image": "{{ImageV1}}",
              "environment": { "FOO": "dashboard" },
              "labels": { "io.balena.features.supervisor-api": "1" },
              "composition": {
                "command": "npm start", "entrypoint": ["/init"], "environment": { "FOO": "compose", "BAR": "x" },
                "restart": "unless-stopped", "network_mode": "host",
                "volumes": ["data:/data", "data:/config:ro", { "type": "volume", "source": "cache", "target": "/cache", "read_only": true }]
              }
            }
            """, volumes: """{ "data": {}, "cache": {} }"""));

        ReconcilePlan plan = ReconcilePlanner.Plan(target, CurrentState.Empty);

        Assert.Equal(["create-volume data@", "create-volume cache@", $"create-service main@{V1}", $"start-service main@{V1}"], Describe(plan.ServiceChanges));
        ReconcileStep create = plan.ServiceChanges[2];
        Assert.Equal(ReconcileWorkflows.CreateService, create.Workflow);
        Assert.Equal("main", create.ServiceName);
        Assert.False(create.NeedsLock);
        AssertJson(
            $$"""
            {
              "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}", "image": "{{ImageV1}}",
              "config": {
                "command": ["npm", "start"], "entrypoint": ["/init"],
                "environment": { "BAR": "x", "FOO": "dashboard" },
                "labels": { "io.balena.features.supervisor-api": "1" },
                "networkMode": "host", "restart": "unless-stopped",
                "volumes": [
                  { "source": "1_data", "target": "/data", "type": "volume" },
                  { "readOnly": true, "source": "1_data", "target": "/config", "type": "volume" },
                  { "readOnly": true, "source": "1_cache", "target": "/cache", "type": "volume" }
                ]
              },
              "appId": 1, "releaseId": 5, "appName": "app"
            }
            """,
            create.Input);
    }

    [Fact]
    public void Create_service_leaves_out_what_the_target_does_not_set()
    {
        var target = TargetStateParser.Parse($$"""
            { "{{Device}}": { "apps": { "{{App}}": { "name": "a",
              "releases": { "{{V1}}": { "services": { "main": { "image": "{{ImageV1}}" } } } } } } } }
            """).State!;

        ReconcilePlan plan = ReconcilePlanner.Plan(target, CurrentState.Empty);

        AssertJson(
            $$"""{ "image": "{{ImageV1}}", "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}" }""",
            plan.Fetches[0].Input);
        AssertJson($$"""{ "appUuid": "{{App}}", "name": "default" }""", plan.ServiceChanges[0].Input);
        AssertJson(
            $$"""
            { "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}", "image": "{{ImageV1}}",
              "config": { "networkMode": "{{App}}_default" }, "appName": "a" }
            """,
            plan.ServiceChanges[1].Input);
    }

    [Fact]
    public void Nothing_to_do_when_every_service_runs_its_release_and_every_image_is_recorded()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "image": "{{ImageV1}}" },
            "worker": { "image": "{{WorkerImage}}", "running": false }
            """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: target), Container(App, "worker", V1, running: false, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, WorkerImage, App, "worker", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Fetches);
        Assert.Empty(plan.ServiceChanges);
        Assert.Empty(plan.Removals);
        Assert.Empty(plan.Blocked);
    }

    [Fact]
    public void A_new_release_fetches_then_kills_the_old_and_starts_the_new_then_removes_the_old_image()
    {
        var target = Target(AppJson(App, V2, $$"""
            "main": { "image": "{{ImageV2}}", "composition": { "stop_grace_period": "30s" } }
            """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"fetch-image main@{V2}"], Describe(plan.Fetches));
        Assert.Equal(ImageV2, plan.Fetches[0].Input.GetProperty("image").GetString());
        Assert.Equal(
            [
                $"remove-service main@{V1} [lock]",
                $"create-service main@{V2}",
                $"start-service main@{V2}",
            ],
            Describe(plan.ServiceChanges));
        AssertJson(
            $$"""{ "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}", "gracePeriod": "00:00:30", "appId": 1 }""",
            plan.ServiceChanges[0].Input);
        Assert.Equal([$"remove-image main@{V1}"], Describe(plan.Removals));
        AssertJson(
            $$"""{ "image": "{{ImageV1}}", "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}" }""",
            plan.Removals[0].Input);
        Assert.Empty(plan.Blocked);
    }

    [Fact]
    public void A_new_release_with_a_service_unchanged_moves_its_running_container_without_a_restart()
    {
        var v1 = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}", "environment": { "A": "1" } }, "worker": { "image": "{{WorkerImage}}" } """));
        var v2 = Target(AppJson(App, V2, $$""" "main": { "image": "{{ImageV1}}", "environment": { "A": "1" } }, "worker": { "image": "{{WorkerImage}}", "environment": { "B": "2" } } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: v1), Container(App, "worker", V1, running: true, of: v1)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, WorkerImage, App, "worker", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(v2, current);

        Assert.Equal([$"fetch-image main@{V2}", $"fetch-image worker@{V2}"], Describe(plan.Fetches));
        Assert.Equal(
            [
                $"update-service-release main@{V1} [lock]",
                $"remove-service worker@{V1} [lock]",
                $"create-service worker@{V2}",
                $"start-service worker@{V2}",
            ],
            Describe(plan.ServiceChanges));
        AssertJson(
            $$"""{ "appUuid": "{{App}}", "serviceName": "main", "commit": "{{V1}}", "toCommit": "{{V2}}", "releaseId": 5 }""",
            plan.ServiceChanges[0].Input);
        Assert.Equal([$"remove-image main@{V1}", $"remove-image worker@{V1}"], Describe(plan.Removals));
    }

    [Fact]
    public void A_config_change_under_the_same_commit_recreates_only_that_service()
    {
        var before = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" }, "worker": { "image": "{{WorkerImage}}" } """));
        var after = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}", "environment": { "FLEET_VAR": "new" } }, "worker": { "image": "{{WorkerImage}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: before), Container(App, "worker", V1, running: true, of: before)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, WorkerImage, App, "worker", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(after, current);

        Assert.Empty(plan.Fetches);
        Assert.Equal(
            [$"remove-service main@{V1} [lock]", $"create-service main@{V1}", $"start-service main@{V1}"],
            Describe(plan.ServiceChanges));
        Assert.Empty(plan.Removals);
        Assert.True(ReconcilePlanner.Plan(before, current).IsEmpty);
    }

    [Fact]
    public void A_local_image_rebuilt_under_the_same_name_recreates_its_service()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1)],
            ImageIds = new Dictionary<string, string> { [ImageV1] = "sha256:rebuilt" },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal(
            [$"remove-service main@{V1} [lock]", $"create-service main@{V1}", $"start-service main@{V1}"],
            Describe(plan.ServiceChanges));
        Assert.True(ReconcilePlanner.Plan(target, new CurrentState
        {
            Networks = current.Networks,
            Containers = current.Containers,
            Images = current.Images,
            ImageIds = new Dictionary<string, string> { [ImageV1] = "sha256:0123" },
        }).IsEmpty);
    }

    [Fact]
    public void A_container_of_an_earlier_supervisor_without_a_fingerprint_is_recreated_once()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        EngineContainer old = Container(App, "main", V1, running: true) with { Name = $"/main_{App[..12]}_{V1[..12]}" };
        old = old with { Labels = old.Labels.Where(l => l.Key != ServiceLabels.Config).ToDictionary() };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, new CurrentState { Networks = [DefaultNetwork(App)], Containers = [old], Images = [Record(1, ImageV1, App, "main", V1)] });

        Assert.Equal(
            [$"remove-service main@{V1} [lock]", $"create-service main@{V1}", $"start-service main@{V1}"],
            Describe(plan.ServiceChanges));
    }

    [Fact]
    public void A_service_is_created_and_started_after_the_services_it_depends_on()
    {
        var target = Target(AppJson(App, V1, $$"""
            "web": { "image": "{{ImageV1}}", "composition": { "depends_on": ["api"] } },
            "api": { "image": "{{ImageV1}}", "composition": { "network_mode": "service:vpn" } },
            "vpn": { "image": "{{ImageV1}}" }
            """));

        ReconcilePlan plan = ReconcilePlanner.Plan(target, new CurrentState { Networks = [DefaultNetwork(App)] });

        Assert.Equal(
            [
                $"create-service vpn@{V1}", $"start-service vpn@{V1}",
                $"create-service api@{V1}", $"start-service api@{V1}",
                $"create-service web@{V1}", $"start-service web@{V1}",
            ],
            Describe(plan.ServiceChanges));

        // What the executor needs to keep them apart when it runs changes side by side.
        Assert.Equal(
            [new ServiceDependency(App, "web", "api"), new ServiceDependency(App, "api", "vpn")],
            plan.Dependencies);
    }

    [Fact]
    public void A_service_sharing_the_network_of_a_recreated_one_is_recreated_after_it()
    {
        string Services(string vpnValue) => $$"""
            "app": { "image": "{{ImageV1}}", "composition": { "network_mode": "service:vpn" } },
            "vpn": { "image": "{{ImageV1}}", "environment": { "SERVER": "{{vpnValue}}" } },
            "other": { "image": "{{WorkerImage}}" }
            """;
        var before = Target(AppJson(App, V1, Services("a")));
        var after = Target(AppJson(App, V1, Services("b")));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers =
            [
                Container(App, "app", V1, running: true, id: "app", of: before),
                Container(App, "vpn", V1, running: true, id: "vpn", of: before),
                Container(App, "other", V1, running: true, id: "other", of: before),
            ],
            Images = [Record(1, ImageV1, App, "app", V1), Record(2, ImageV1, App, "vpn", V1), Record(3, WorkerImage, App, "other", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(after, current);

        Assert.Equal(
            [
                $"remove-service vpn@{V1} [lock]", $"create-service vpn@{V1}", $"start-service vpn@{V1}",
                $"remove-service app@{V1} [lock]", $"create-service app@{V1}", $"start-service app@{V1}",
            ],
            Describe(plan.ServiceChanges));
        Assert.True(ReconcilePlanner.Plan(before, current).IsEmpty);
    }

    [Fact]
    public void Declared_networks_are_created_with_their_options_before_the_services_that_join_them()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "image": "{{ImageV1}}", "composition": { "networks": { "front": { "aliases": ["api"] }, "back": null } } }
            """, networks: """{ "front": { "internal": true, "ipam": { "config": [{ "subnet": "10.9.0.0/24" }] } }, "back": {}, "unused": {} }"""));

        ReconcilePlan plan = ReconcilePlanner.Plan(target, CurrentState.Empty);

        Assert.Equal(
            ["create-network front@", "create-network back@", "create-network unused@", $"create-service main@{V1}", $"start-service main@{V1}"],
            Describe(plan.ServiceChanges));
        AssertJson(
            $$"""{ "appUuid": "{{App}}", "appId": 1, "name": "front", "config": { "internal": true, "ipam": { "config": [{ "subnet": "10.9.0.0/24" }] } } }""",
            plan.ServiceChanges[0].Input);
        AssertJson($$"""{ "appUuid": "{{App}}", "appId": 1, "name": "back" }""", plan.ServiceChanges[1].Input);
        JsonElement config = plan.ServiceChanges[3].Input.GetProperty("config");
        Assert.Equal($"{App}_front", config.GetProperty("networkMode").GetString());
        Assert.Equal(2, config.GetProperty("networks").GetArrayLength());
    }

    [Fact]
    public void A_network_whose_options_changed_is_made_again_once_every_container_of_the_app_is_gone()
    {
        const string Services = """
            "main": { "image": "registry.example.com/app/main:v1", "composition": { "networks": ["front"] } },
            "worker": { "image": "registry.example.com/app/worker:v1" }
            """;
        const string Before = """{ "front": { "ipam": { "config": [{ "subnet": "10.9.0.0/24" }] } } }""";
        var before = Target(AppJson(App, V1, Services, networks: Before));
        var after = Target(AppJson(App, V1, Services, networks: """{ "front": { "ipam": { "config": [{ "subnet": "10.8.0.0/24" }] } } }"""));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App), Network(App, "front", before.Apps[App].Release!.Networks["front"])],
            Containers = [Container(App, "main", V1, running: true, of: before), Container(App, "worker", V1, running: true, of: before)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, WorkerImage, App, "worker", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(after, current);

        Assert.Equal(
            [
                $"remove-service main@{V1} [lock]", $"remove-service worker@{V1} [lock]",
                "remove-network front@", "create-network front@",
                $"create-service main@{V1}", $"start-service main@{V1}", $"create-service worker@{V1}", $"start-service worker@{V1}",
            ],
            Describe(plan.ServiceChanges));
        Assert.True(ReconcilePlanner.Plan(before, current).IsEmpty);
    }

    [Fact]
    public void Declared_volumes_are_created_before_the_services_and_an_earlier_supervisors_volume_is_kept()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "image": "{{ImageV1}}", "composition": { "volumes": ["data:/data", "logs:/logs", "old:/old"] } }
            """, volumes: """{ "data": { "driver_opts": { "type": "tmpfs", "device": "tmpfs" }, "labels": { "tier": "hot" } }, "logs": null, "old": {} }"""));

        // The earlier Supervisor's name for "old" (the app's uuid), made by the engine with no label.
        ReconcilePlan plan = ReconcilePlanner.Plan(target, new CurrentState
        {
            Networks = [DefaultNetwork(App)],
            Volumes = [new EngineVolume($"{App}_old", new Dictionary<string, string>())],
        });

        Assert.Equal(["create-volume data@", "create-volume logs@", $"create-service main@{V1}", $"start-service main@{V1}"], Describe(plan.ServiceChanges));
        AssertJson(
            $$"""{ "appUuid": "{{App}}", "appId": 1, "name": "data", "config": { "driverOpts": { "device": "tmpfs", "type": "tmpfs" }, "labels": { "tier": "hot" } } }""",
            plan.ServiceChanges[0].Input);
        AssertJson($$"""{ "appUuid": "{{App}}", "appId": 1, "name": "logs" }""", plan.ServiceChanges[1].Input);
    }

    [Fact]
    public void A_volume_whose_options_changed_is_made_again_once_every_container_of_the_app_is_gone()
    {
        const string Services = """
            "main": { "image": "registry.example.com/app/main:v1", "composition": { "volumes": ["data:/data"] } },
            "worker": { "image": "registry.example.com/app/worker:v1" }
            """;
        var before = Target(AppJson(App, V1, Services, volumes: """{ "data": { "labels": { "tier": "hot" } }, "plain": {} }"""));
        var after = Target(AppJson(App, V1, Services, volumes: """{ "data": { "labels": { "tier": "cold" } }, "plain": { "driver": "local" } }"""));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],

            // "plain" was made by the engine with no record of its options: it is kept whatever the release says.
            Volumes = [Volume(App, "1_data", before.Apps[App].Release!.Volumes["data"]), new EngineVolume("1_plain", new Dictionary<string, string>())],
            Containers = [Container(App, "main", V1, running: true, of: before), Container(App, "worker", V1, running: true, of: before)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, WorkerImage, App, "worker", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(after, current);

        Assert.Equal(
            [
                $"remove-service main@{V1} [lock]", $"remove-service worker@{V1} [lock]",
                "remove-volume data@", "create-volume data@",
                $"create-service main@{V1}", $"start-service main@{V1}", $"create-service worker@{V1}", $"start-service worker@{V1}",
            ],
            Describe(plan.ServiceChanges));
        Assert.True(ReconcilePlanner.Plan(before, current).IsEmpty);
    }

    [Fact]
    public void An_app_that_leaves_the_target_loses_its_containers_then_its_network_and_its_volumes_unless_they_are_kept()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App), DefaultNetwork(OtherApp)],
            Volumes = [Volume(OtherApp, "7_data", null), new EngineVolume($"{OtherApp}_legacy", new Dictionary<string, string>())],
            Containers = [Container(App, "main", V1, running: true, of: target), Container(OtherApp, "db", V2, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan removing = ReconcilePlanner.Plan(target, current);
        ReconcilePlan keeping = ReconcilePlanner.Plan(target, current, keepVolumes: true);

        Assert.Equal([$"remove-service db@{V2} [lock]", "remove-volume data@", "remove-network default@"], Describe(removing.ServiceChanges));
        AssertJson($$"""{ "appUuid": "{{OtherApp}}", "appId": 7, "name": "data" }""", removing.ServiceChanges[1].Input);
        Assert.Equal(OtherApp, removing.ServiceChanges[2].AppUuid);
        Assert.Equal([$"remove-service db@{V2} [lock]", "remove-network default@"], Describe(keeping.ServiceChanges));
    }

    [Fact]
    public void A_dropped_apps_volume_named_by_its_uuid_is_removed_by_its_own_name_whatever_the_uuid_holds()
    {
        // An app uuid may hold underscores; without a numeric id the volume was named <appUuid>_<name>.
        const string Underscored = "my_app_1";
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Volumes = [Volume(Underscored, $"{Underscored}_data", null)],
            Containers = [Container(App, "main", V1, running: true, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        AssertJson($$"""{ "appUuid": "{{Underscored}}", "name": "data" }""", Assert.Single(plan.ServiceChanges).Input);
    }

    [Fact]
    public void An_old_release_that_is_not_running_is_removed_without_the_lock()
    {
        var target = Target(AppJson(App, V2, $$""" "main": { "image": "{{ImageV2}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: false)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, ImageV2, App, "main", V2)],
            LockedApps = new HashSet<string> { App },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Empty(plan.Fetches);
        Assert.Equal(
            [$"remove-service main@{V1}", $"create-service main@{V2}", $"start-service main@{V2}"],
            Describe(plan.ServiceChanges));
        Assert.Equal([$"remove-image main@{V1}"], Describe(plan.Removals));
        Assert.Empty(plan.Blocked);
    }

    [Fact]
    public void A_release_keeping_the_same_image_name_still_records_it_anew_and_drops_the_old_row()
    {
        var target = Target(AppJson(App, V2, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"fetch-image main@{V2}"], Describe(plan.Fetches));
        Assert.Equal(
            [$"remove-service main@{V1} [lock]", $"create-service main@{V2}", $"start-service main@{V2}"],
            Describe(plan.ServiceChanges));
        Assert.Equal([$"remove-image main@{V1}"], Describe(plan.Removals));
        Assert.Equal(ImageV1, plan.Removals[0].Input.GetProperty("image").GetString());
    }

    [Fact]
    public void An_image_shared_by_two_services_is_fetched_for_each_and_kept_while_either_needs_it()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "image": "{{ImageV1}}" },
            "sidecar": { "image": "{{ImageV1}}" }
            """));

        ReconcilePlan install = ReconcilePlanner.Plan(target, CurrentState.Empty);

        Assert.Equal([$"fetch-image main@{V1}", $"fetch-image sidecar@{V1}"], Describe(install.Fetches));
        Assert.All(install.Fetches, s => Assert.Equal(ImageV1, s.Input.GetProperty("image").GetString()));

        // Later the sidecar leaves the release; the main service keeps the image, only the sidecar's row goes.
        var withoutSidecar = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: target), Container(App, "sidecar", V1, running: true, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, ImageV1, App, "sidecar", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(withoutSidecar, current);

        Assert.Empty(plan.Fetches);
        Assert.Equal([$"remove-service sidecar@{V1} [lock]"], Describe(plan.ServiceChanges));
        Assert.Equal([$"remove-image sidecar@{V1}"], Describe(plan.Removals));
    }

    [Fact]
    public void A_service_set_not_to_run_is_stopped_under_the_lock_and_then_left_alone()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "image": "{{ImageV1}}", "running": false, "composition": { "stop_grace_period": "1m30s" } }
            """));
        CurrentState running = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, running);

        Assert.Equal([$"stop-service main@{V1} [lock]"], Describe(plan.ServiceChanges));
        Assert.Equal("00:01:30", plan.ServiceChanges[0].Input.GetProperty("gracePeriod").GetString());
        Assert.Empty(plan.Fetches);
        Assert.Empty(plan.Removals);

        CurrentState stopped = new() { Networks = running.Networks, Containers = [Container(App, "main", V1, running: false, of: target)], Images = running.Images };
        Assert.True(ReconcilePlanner.Plan(target, stopped).IsEmpty);
    }

    [Fact]
    public void A_new_service_set_not_to_run_is_created_but_not_started()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}", "running": false } """));
        CurrentState current = new() { Networks = [DefaultNetwork(App)], Images = [Record(1, ImageV1, App, "main", V1)] };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"create-service main@{V1}"], Describe(plan.ServiceChanges));
    }

    [Fact]
    public void A_service_removed_from_the_target_is_removed_after_the_apps_other_changes_and_its_image_goes()
    {
        var target = Target(AppJson(App, V1, $$"""
            "main": { "image": "{{ImageV1}}", "composition": { "stop_grace_period": "45s" } }
            """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "worker", V1, running: true), Container(App, "main", V1, running: false, of: target)],
            Images = [Record(2, WorkerImage, App, "worker", V1), Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"start-service main@{V1}", $"remove-service worker@{V1} [lock]"], Describe(plan.ServiceChanges));
        // Its own grace period went with the service; balena's default applies.
        AssertJson(
            $$"""{ "appUuid": "{{App}}", "serviceName": "worker", "commit": "{{V1}}", "gracePeriod": "00:00:10", "appId": 1 }""",
            plan.ServiceChanges[1].Input);
        Assert.Equal([$"remove-image worker@{V1}"], Describe(plan.Removals));
        AssertJson(
            $$"""{ "image": "{{WorkerImage}}", "appUuid": "{{App}}", "serviceName": "worker", "commit": "{{V1}}" }""",
            plan.Removals[0].Input);
    }

    [Fact]
    public void An_app_removed_from_the_target_has_every_container_and_image_removed_after_the_target_apps()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers =
            [
                Container(OtherApp, "web", V2, running: false),
                Container(App, "main", V1, running: false, of: target),
                Container(OtherApp, "db", V2, running: true),
            ],
            Images =
            [
                Record(3, "other/web:1", OtherApp, "web", V2),
                Record(1, ImageV1, App, "main", V1),
                Record(2, "other/db:1", OtherApp, "db", V2),
            ],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Empty(plan.Fetches);
        Assert.Equal(
            [$"start-service main@{V1}", $"remove-service db@{V2} [lock]", $"remove-service web@{V2}"],
            Describe(plan.ServiceChanges));
        Assert.Equal(OtherApp, plan.ServiceChanges[1].AppUuid);
        Assert.Equal([$"remove-image db@{V2}", $"remove-image web@{V2}"], Describe(plan.Removals));
        Assert.Empty(plan.Blocked);
    }

    [Fact]
    public void An_app_with_no_release_runs_nothing()
    {
        var target = Target($$"""
            "{{App}}": { "id": 1, "name": "a", "releases": {} }
            """);
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Empty(plan.Fetches);
        // Its network goes too, once its container is gone.
        Assert.Equal([$"remove-service main@{V1} [lock]", "remove-network default@"], Describe(plan.ServiceChanges));
        Assert.Equal([$"remove-image main@{V1}"], Describe(plan.Removals));
    }

    [Fact]
    public void A_held_lock_blocks_the_apps_changes_but_not_its_fetch_and_keeps_the_image_its_container_runs()
    {
        var target = Target(
            AppJson(App, V2, $$""" "main": { "image": "{{ImageV2}}" } """)
            + ","
            + AppJson(OtherApp, V1, $$""" "web": { "image": "{{WorkerImage}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1)],
            LockedApps = new HashSet<string> { App },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"fetch-image main@{V2}", $"fetch-image web@{V1}"], Describe(plan.Fetches));
        // The unlocked app goes ahead; the locked one is not touched at all, not even the create that needs no lock.
        Assert.Equal(["create-network default@", $"create-service web@{V1}", $"start-service web@{V1}"], Describe(plan.ServiceChanges));
        Assert.All(plan.ServiceChanges, s => Assert.Equal(OtherApp, s.AppUuid));
        Assert.Equal([new BlockedApp(App, "updates locked")], plan.Blocked);
        Assert.Empty(plan.Removals);
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void A_held_lock_does_not_block_steps_that_need_no_lock()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: false, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1)],
            LockedApps = new HashSet<string> { App },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"start-service main@{V1}"], Describe(plan.ServiceChanges));
        Assert.Empty(plan.Blocked);
    }

    [Fact]
    public void A_held_lock_on_an_app_removed_from_the_target_keeps_its_containers_and_images()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true, of: target), Container(OtherApp, "web", V2, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, "other/web:1", OtherApp, "web", V2)],
            LockedApps = new HashSet<string> { OtherApp },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.True(plan.IsEmpty);
        Assert.Equal([new BlockedApp(OtherApp, BlockedApp.UpdatesLocked)], plan.Blocked);
    }

    [Fact]
    public void After_a_failed_fetch_the_image_is_still_unrecorded_so_the_same_phases_are_planned_again()
    {
        var target = Target(AppJson(App, V2, $$""" "main": { "image": "{{ImageV2}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: true)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        ReconcilePlan first = ReconcilePlanner.Plan(target, current);
        // The executor ran the fetch phase, the fetch failed, so it stopped: nothing on the device changed.
        ReconcilePlan again = ReconcilePlanner.Plan(target, current);

        foreach (ReconcilePlan plan in new[] { first, again })
        {
            Assert.Equal([$"fetch-image main@{V2}"], Describe(plan.Fetches));
            Assert.Equal(
                [$"remove-service main@{V1} [lock]", $"create-service main@{V2}", $"start-service main@{V2}"],
                Describe(plan.ServiceChanges));
            Assert.Equal([$"remove-image main@{V1}"], Describe(plan.Removals));
        }

        // Once the fetch succeeds and is recorded, the fetch phase is empty and the rest is unchanged.
        CurrentState fetched = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = current.Containers,
            Images = [.. current.Images, Record(2, ImageV2, App, "main", V2)],
        };
        ReconcilePlan after = ReconcilePlanner.Plan(target, fetched);
        Assert.Empty(after.Fetches);
        Assert.Equal(Describe(first.ServiceChanges), Describe(after.ServiceChanges));
        Assert.Equal(Describe(first.Removals), Describe(after.Removals));
    }

    [Fact]
    public void A_service_stopped_through_the_api_is_not_started_again()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" }, "worker": { "image": "{{WorkerImage}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: false, of: target), Container(App, "worker", V1, running: false, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, WorkerImage, App, "worker", V1)],
            StoppedByApi = new HashSet<(string AppUuid, string ServiceName)> { (App, "main") },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"start-service worker@{V1}"], Describe(plan.ServiceChanges));
    }

    [Fact]
    public void A_new_release_ends_a_stop_made_through_the_api()
    {
        var target = Target(AppJson(App, V2, $$""" "main": { "image": "{{ImageV2}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: false)],
            Images = [Record(1, ImageV1, App, "main", V1), Record(2, ImageV2, App, "main", V2)],
            StoppedByApi = new HashSet<(string AppUuid, string ServiceName)> { (App, "main") },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal(
            [$"remove-service main@{V1}", $"create-service main@{V2}", $"start-service main@{V2}"],
            Describe(plan.ServiceChanges));
    }

    [Fact]
    public void A_service_stopped_through_the_api_whose_container_went_missing_is_created_but_not_started()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Images = [Record(1, ImageV1, App, "main", V1)],
            StoppedByApi = new HashSet<(string AppUuid, string ServiceName)> { (App, "main") },
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal([$"create-service main@{V1}"], Describe(plan.ServiceChanges));
    }

    [Fact]
    public void Containers_without_the_supervisors_labels_are_never_touched()
    {
        var target = Target(AppJson(App, V1, $$""" "main": { "image": "{{ImageV1}}" } """));
        EngineContainer foreign = new(
            "c-foreign", "/someone-elses", "nginx", "sha256:ff", "running", Running: true,
            new Dictionary<string, string> { [ServiceLabels.AppUuid] = OtherApp }, Now, Now);
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [foreign, Container(App, "main", V1, running: true, of: target)],
            Images = [Record(1, ImageV1, App, "main", V1)],
        };

        Assert.True(ReconcilePlanner.Plan(target, current).IsEmpty);
    }

    [Fact]
    public void Duplicate_containers_of_one_release_take_one_step()
    {
        var target = Target(AppJson(App, V2, $$""" "main": { "image": "{{ImageV2}}" } """));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [Container(App, "main", V1, running: false, id: "c1"), Container(App, "main", V1, running: true, id: "c2")],
            Images = [Record(2, ImageV2, App, "main", V2)],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.Equal(
            [$"remove-service main@{V1} [lock]", $"create-service main@{V2}", $"start-service main@{V2}"],
            Describe(plan.ServiceChanges));
    }

    [Fact]
    public void Fifty_services_in_their_target_state_need_nothing()
    {
        string[] names = [.. Enumerable.Range(0, 50).Select(i => $"service{i:D2}")];
        var target = Target(AppJson(
            App, V1, string.Join(",", names.Select(n => $$""" "{{n}}": { "image": "registry.example.com/app/{{n}}:v1" } """))));
        CurrentState current = new()
        {
            Networks = [DefaultNetwork(App)],
            Containers = [.. names.Select(n => Container(App, n, V1, running: true, of: target))],
            Images = [.. names.Select((n, i) => Record(i + 1, $"registry.example.com/app/{n}:v1", App, n, V1))],
        };

        ReconcilePlan plan = ReconcilePlanner.Plan(target, current);

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Fetches);
        Assert.Empty(plan.ServiceChanges);
        Assert.Empty(plan.Removals);
        Assert.Empty(plan.Blocked);
    }

    private static TargetStateModel Target(string apps)
    {
        TargetStateParseResult result = TargetStateParser.Parse($$"""
            { "{{Device}}": { "name": "d", "config": {}, "apps": { {{apps}} } } }
            """);
        Assert.True(result.IsValid, result.ToString());
        return result.State;
    }

    private static string AppJson(string uuid, string commit, string services, string volumes = "{}", string networks = "{}") => $$"""
        "{{uuid}}": {
          "id": 1, "name": "app",
          "releases": { "{{commit}}": { "id": 5, "services": { {{services}} }, "volumes": {{volumes}}, "networks": {{networks}} } }
        }
        """;

    /// <param name="of">The target whose service the container was created from (same image and config); null for one created from something else.</param>
    private static EngineContainer Container(string app, string service, string commit, bool running, string? id = null, TargetState? of = null) => new(
        id ?? $"{service}-{commit[..4]}-{app[..4]}",
        $"/{ServiceContainerName.Format(service, app, commit, null, null)}",
        "whatever:tag",
        "sha256:0123",
        running ? "running" : "exited",
        running,
        new Dictionary<string, string>
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.AppUuid] = app,
            [ServiceLabels.ServiceName] = service,
            [ServiceLabels.Commit] = commit,
            [ServiceLabels.Config] = of is null ? "created-from-something-else" : FingerprintOf(of, app, service),
        },
        Now,
        running ? Now : null);

    /// <summary>The app's default network, as the supervisor creates it.</summary>
    private static EngineNetwork DefaultNetwork(string app) => Network(app, AppNetworks.DefaultName, null);

    /// <summary>An app's named volume as the supervisor created it from <paramref name="config"/>.</summary>
    private static EngineVolume Volume(string app, string engineName, VolumeConfig? config)
    {
        var labels = new Dictionary<string, string> { [ServiceLabels.Supervised] = "true", [ServiceLabels.AppUuid] = app };
        if (AppVolumes.Fingerprint(config) is { } fingerprint)
        {
            labels[ServiceLabels.Config] = fingerprint;
        }

        return new EngineVolume(engineName, labels);
    }

    /// <summary>An app's network as the supervisor created it from <paramref name="config"/>.</summary>
    private static EngineNetwork Network(string app, string name, NetworkConfig? config)
    {
        var labels = new Dictionary<string, string> { [ServiceLabels.Supervised] = "true", [ServiceLabels.AppUuid] = app };
        if (AppNetworks.Fingerprint(config) is { } fingerprint)
        {
            labels[ServiceLabels.Config] = fingerprint;
        }

        return new EngineNetwork("net-" + name + app[..8], AppNetworks.EngineName(app, name), labels);
    }

    private static string FingerprintOf(TargetState target, string app, string service)
    {
        TargetService declared = target.Apps[app].Release!.Services[service];
        return ServiceConfigFingerprint.Of(declared.Image.ToString(), ReconcileSteps.Config(target.Apps[app], declared));
    }

    private static ImageRecord Record(long id, string image, string app, string service, string commit) =>
        new(id, image, app, service, commit, "sha256:0123", Now);

    private static string[] Describe(IEnumerable<ReconcileStep> steps) => [.. steps.Select(s => s.ToString())];

    private static void AssertJson(string expected, JsonElement actual)
    {
        using JsonDocument document = JsonDocument.Parse(expected);
        Assert.True(
            JsonElement.DeepEquals(document.RootElement, actual),
            $"expected {document.RootElement}{Environment.NewLine}  actual {actual}");
    }
}
