using Supervisor.Activities.Services.Config;
using Supervisor.Activities.Volumes;
using System.Text.Json;
using Supervisor.Reconciler.Target;
using static Supervisor.Tests.Reconciler.Target.TargetStateDocuments;

namespace Supervisor.Tests.Reconciler.Target;

public class TargetStateParserTests
{
    [Fact]
    public void The_balena_reference_example_parses_with_every_field()
    {
        TargetStateParseResult result = TargetStateParser.Parse(BalenaExample);

        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Errors);
        var state = result.State;
        Assert.Equal(Device, state.DeviceUuid);
        Assert.Equal("my-device", state.Name);
        Assert.Equal(
            new Dictionary<string, string> { ["HOST_CONFIG_gpu_mem"] = "16", ["SUPERVISOR_OVERRIDE_LOCK"] = "false" },
            state.Config);

        TargetApp app = Assert.Single(state.Apps).Value;
        Assert.Equal(App, app.Uuid);
        Assert.Equal("myfleet", app.Name);
        Assert.Equal(AppClass.Fleet, app.Class);
        Assert.Equal(1011165, app.LegacyId);
        Assert.False(app.IsHost);
        Assert.Null(app.ParentApp);

        TargetRelease release = Assert.IsType<TargetRelease>(app.Release);
        Assert.Equal(Commit, release.Commit);
        Assert.Equal(557617, release.LegacyId);
        Assert.Equal("data", Assert.Single(release.Volumes).Key);
        Assert.Null(AppVolumes.Fingerprint(release.Volumes["data"]));
        Assert.Empty(release.Networks);

        TargetService service = Assert.Single(release.Services).Value;
        Assert.Equal("main", service.Name);
        Assert.Equal(29396, service.LegacyId);
        Assert.Equal(959262, service.LegacyImageId);
        Assert.Equal(Image, service.Image.ToString());
        Assert.Equal(new Dictionary<string, string> { ["FOO"] = "bar" }, service.Environment);
        Assert.Equal(new Dictionary<string, string> { ["io.balena.features.supervisor-api"] = "1" }, service.Labels);
        Assert.True(service.Running);
        Assert.Null(service.Contract);
        Assert.Equal("always", service.Config.Restart);
        Assert.Equal(new ServiceVolume { Source = "data", Target = "/data" }, Assert.Single(service.Config.Volumes));
        Assert.Equal(TimeSpan.FromSeconds(10), service.StopGracePeriod);
        Assert.Null(service.Config.Command);
        Assert.Null(service.Config.Entrypoint);
        Assert.Null(service.Config.NetworkMode);
    }

    [Fact]
    public void A_minimal_document_takes_the_defaults()
    {
        string json = $$"""
            { "{{Device}}": { "apps": { "{{App}}": { "name": "a",
              "releases": { "{{Commit}}": { "services": { "main": { "image": "app" } } } } } } } }
            """;

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("", result.State.Name);
        Assert.Empty(result.State.Config);
        TargetApp app = result.State.Apps[App];
        Assert.Equal(AppClass.Fleet, app.Class);
        Assert.Null(app.LegacyId);
        Assert.False(app.IsHost);
        TargetRelease release = app.Release!;
        Assert.Null(release.LegacyId);
        Assert.Empty(release.Volumes);
        Assert.Empty(release.Networks);
        TargetService service = release.Services["main"];
        Assert.Null(service.LegacyId);
        Assert.Null(service.LegacyImageId);
        Assert.Equal("app:latest", service.Image.PullName);
        Assert.Empty(service.Environment);
        Assert.Empty(service.Labels);
        Assert.True(service.Running);
        Assert.Equal(new System.Text.Json.Nodes.JsonObject().ToJsonString(), DeclaredConfigJson.Of(service.Config).ToJsonString());
        Assert.Equal(TimeSpan.FromSeconds(10), service.StopGracePeriod);
    }

    [Fact]
    public void Empty_releases_means_the_app_runs_no_release()
    {
        TargetStateParseResult result = TargetStateParser.Parse(WithApp("""{ "id": 7, "name": "a", "releases": {} }"""));

        Assert.True(result.IsValid, result.ToString());
        Assert.Null(result.State.Apps[App].Release);
    }

    [Fact]
    public void A_device_with_no_apps_is_accepted()
    {
        TargetStateParseResult result = TargetStateParser.Parse($$"""{ "{{Device}}": { "name": "d", "config": {}, "apps": {} } }""");

        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.State.Apps);
    }

    [Fact]
    public void Apps_keep_the_document_order()
    {
        string json = $$"""
            { "{{Device}}": { "apps": {
              "zzz": { "name": "z", "releases": {} },
              "aaa": { "name": "a", "class": "app", "releases": {} },
              "mmm": { "name": "m", "class": "block", "is_host": true, "parent_app": "zzz", "releases": {} } } } }
            """;

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(["zzz", "aaa", "mmm"], result.State.Apps.Keys);
        Assert.Equal([AppClass.Fleet, AppClass.App, AppClass.Block], result.State.Apps.Values.Select(a => a.Class));
        Assert.True(result.State.Apps["mmm"].IsHost);
        Assert.Equal("zzz", result.State.Apps["mmm"].ParentApp);
    }

    [Fact]
    public void The_accepted_text_is_kept_verbatim()
    {
        // Odd spacing and a key the model ignores must both survive, so the stored target is the one received.
        string json = BalenaExample.Replace("\"name\": \"my-device\",", "\"name\":   \"my-device\", \"extra\": [1,2],", StringComparison.Ordinal);

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.True(result.IsValid, result.ToString());
        Assert.Same(json, result.State.Json);
        Assert.True(TargetStateParser.Parse(result.State.Json).IsValid);
    }

    [Fact]
    public void A_parsed_element_is_accepted_with_its_raw_text()
    {
        using JsonDocument document = JsonDocument.Parse(BalenaExample);

        TargetStateParseResult result = TargetStateParser.Parse(document.RootElement);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(document.RootElement.GetRawText(), result.State.Json);
        Assert.Equal("main", Assert.Single(result.State.Apps[App].Release!.Services).Key);
    }

    [Fact]
    public void Contract_is_kept_as_written()
    {
        string json = WithService($$"""
            { "image": "{{Image}}", "running": false, "contract": { "type": "sw.container", "requires": [{ "type": "arch.sw", "slug": "aarch64" }] } }
            """);

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.True(result.IsValid, result.ToString());
        TargetService service = result.State.Apps[App].Release!.Services["main"];
        Assert.False(service.Running);
        Assert.Equal("sw.container", service.Contract!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void Unknown_device_keys_are_ignored()
    {
        // Only apps, releases and services are held to a fixed set of keys; see TargetStateReader.ReadDevice.
        TargetStateParseResult result = TargetStateParser.Parse($$"""{ "{{Device}}": { "apps": {}, "pinned": true } }""");

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void A_refused_result_prints_each_error_with_its_path()
    {
        TargetStateParseResult result = TargetStateParser.Parse("""{ "a": 1, "b": 2 }""");

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "$: expected exactly one device uuid at the top level, found 2: \"a\", \"b\"",
                "$.a: expected an object, found a number (1)",
                "$.b: expected an object, found a number (2)"),
            result.ToString());
    }
}
