using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Reconciler.Target;

namespace Supervisor.Tests.Reconciler.Target;

/// <summary>balena's v2 "local" target, converted as balena's <c>fromV2TargetState</c> converts it (its own cases first).</summary>
public class TargetStateV2Tests
{
    private const string Device = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void An_app_without_a_commit_becomes_an_app_without_releases()
    {
        var state = Accepted("""
            { "local": { "name": "my-new-name", "config": { "BALENA_SUPERVISOR_PORT": "11111" },
              "apps": { "1": { "name": "hello-world" } } } }
            """);

        Assert.Equal(Device, state.DeviceUuid);
        Assert.Equal("my-new-name", state.Name);
        Assert.Equal("11111", state.Config["BALENA_SUPERVISOR_PORT"]);
        var app = state.Apps["1"];
        Assert.Equal("hello-world", app.Name);
        Assert.Equal(1, app.LegacyId);
        Assert.Null(app.Release);
        Assert.Equal("{}", V3(state).GetProperty("apps").GetProperty("1").GetProperty("releases").GetRawText());
    }

    // balena's case labels the service io.balena.features.api, a feature no balena gives; Supervisor refuses a
    // feature label it cannot honour (docs/api.md), so a plain label stands in for it.
    [Fact]
    public void Services_are_keyed_by_name_with_their_other_keys_as_composition()
    {
        var state = Accepted("""
            { "local": { "name": "my-new-name", "config": {}, "apps": { "1": {
              "releaseId": 1, "commit": "localrelease", "name": "hello-world",
              "services": { "1": { "imageId": 1, "serviceName": "hello", "image": "ubuntu:latest", "running": true,
                "environment": {}, "labels": { "io.balena.some.label": "true" }, "privileged": true, "ports": ["3001:3001"] } },
              "networks": { "my_net": { "labels": { "io.balena.some.label": "foo" } } },
              "volumes": { "my_volume": { "labels": { "io.balena.some.label": "foo" } } } } } } }
            """);

        var release = V3(state).GetProperty("apps").GetProperty("1").GetProperty("releases").GetProperty("localrelease");
        Assert.Equal(1, release.GetProperty("id").GetInt64());
        var hello = release.GetProperty("services").GetProperty("hello");
        Assert.Equal("ubuntu:latest", hello.GetProperty("image").GetString());
        Assert.Equal(1, hello.GetProperty("id").GetInt64());
        Assert.Equal(1, hello.GetProperty("image_id").GetInt64());
        Assert.Equal("""{"privileged":true,"ports":["3001:3001"]}""", hello.GetProperty("composition").GetRawText());
        Assert.Equal("foo", release.GetProperty("networks").GetProperty("my_net").GetProperty("labels").GetProperty("io.balena.some.label").GetString());
        Assert.Equal("foo", release.GetProperty("volumes").GetProperty("my_volume").GetProperty("labels").GetProperty("io.balena.some.label").GetString());

        var service = state.Apps["1"].Release!.Services["hello"];
        Assert.True(service.Config.Privileged);
        Assert.Equal(1, service.LegacyId);
        Assert.Equal(1, service.LegacyImageId);
    }

    [Fact]
    public void What_balena_push_sends_is_accepted_with_its_string_release_id_and_local_images()
    {
        var state = Accepted("""
            { "local": { "name": "dev", "config": {}, "apps": { "1": { "name": "LocalApp", "commit": "10ca12e1ea5e", "releaseId": "1",
              "services": {
                "1": { "environment": { "GREETING": "hi" }, "labels": {}, "ports": ["8080:80"], "imageId": 1, "serviceName": "web", "serviceId": 1, "image": "local_web", "running": true },
                "2": { "environment": {}, "labels": {}, "imageId": 2, "serviceName": "worker", "serviceId": 2, "image": "local_worker", "running": true } },
              "volumes": {}, "networks": {} } } } }
            """);

        var release = state.Apps["1"].Release!;
        Assert.Equal("10ca12e1ea5e", release.Commit);
        Assert.Equal(1, release.LegacyId);
        Assert.Equal(["web", "worker"], release.Services.Keys);
        Assert.Equal("local_web", release.Services["web"].Image.ToString());
        Assert.Equal("hi", release.Services["web"].Config.Environment["GREETING"]);
        Assert.Equal(2, release.Services["worker"].LegacyId);
    }

    [Fact]
    public void Every_error_is_reported_at_the_path_the_author_wrote()
    {
        var result = TargetStateV2.Parse("""
            { "local": { "name": "dev", "config": { "A": 1 }, "apps": { "1": { "name": "app", "commit": "c1", "releaseId": "x",
              "services": {
                "1": { "serviceName": "web", "imageId": 1, "ports": ["not a port"], "environment": { "K": 2 } },
                "two": { "serviceName": "db", "image": "db" } } } } } }
            """, Device);

        Assert.False(result.IsValid);
        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.local.apps.1.releaseId", paths);
        Assert.Contains("$.local.apps.1.services.two", paths);
        Assert.DoesNotContain(paths, p => p.Contains(Device, StringComparison.Ordinal) || p.Contains("releases", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_v2_shape_with_invalid_v3_content_is_refused_at_v2_paths()
    {
        var result = TargetStateV2.Parse("""
            { "local": { "name": "dev", "config": { "A": 1 }, "apps": { "1": { "name": "app", "commit": "c1", "releaseId": 1,
              "services": { "1": { "serviceName": "web", "imageId": 1, "ports": ["not a port"], "environment": { "K": 2 } } } } } } }
            """, Device);

        Assert.False(result.IsValid);
        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.local.config.A", paths);
        Assert.Contains("$.local.apps.1.services.1.image", paths);
        Assert.Contains("$.local.apps.1.services.1.environment.K", paths);
        Assert.Contains(paths, p => p.StartsWith("$.local.apps.1.services.1.ports", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "local": { "apps": { "web": { "name": "a" } } } }""", "$.local.apps.web", "numeric app id")]
    [InlineData("""{ "local": { "apps": { "1": { "name": "a", "commitx": "c" } } } }""", "$.local.apps.1.commitx", "unknown key \"commitx\" in an app")]
    [InlineData("""{ "local": { "apps": {} }, "dependent": { "apps": { "2": {} } } }""", "$.dependent", "dependent devices and apps are not supported")]
    [InlineData("""{ "local": { "apps": {} }, "force": true }""", "$.force", "unknown key \"force\"")]
    [InlineData("""{ "local": { "apps": { "1": { "name": "a", "commit": "c", "releaseId": 1, "services": { "1": { "serviceName": "web", "serviceId": 2, "image": "x" } } } } } }""", "$.local.apps.1.services.1.serviceId", "differs from the service's key")]
    [InlineData("""{ "local": { "apps": { "1": { "name": "a", "commit": "c", "releaseId": 1, "services": { "1": { "serviceName": "web", "image": "x" }, "2": { "serviceName": "web", "image": "y" } } } } } }""", "$.local.apps.1.services.2.serviceName", "named \"web\" too")]
    public void A_document_outside_the_v2_shape_is_refused_naming_where(string json, string path, string message)
    {
        var result = TargetStateV2.Parse(json, Device);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_local_shape_of_an_accepted_target_posts_back_as_the_same_target()
    {
        var state = Accepted("""
            { "local": { "name": "dev", "config": { "HOST_CONFIG_gpu_mem": "16" }, "apps": { "1": { "name": "LocalApp", "commit": "10ca12e1ea5e", "releaseId": "1",
              "services": { "1": { "environment": { "GREETING": "hi" }, "labels": { "x": "y" }, "ports": ["8080:80"], "imageId": 1, "serviceName": "web", "serviceId": 1, "image": "local_web", "running": false } },
              "volumes": { "data": {} }, "networks": {} } } } }
            """);

        var local = TargetStateV2.ToLocal(state.Json, "ignored");
        var again = Accepted(local.ToJsonString());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(state.Json), JsonNode.Parse(again.Json)), $"{state.Json}\n{again.Json}");
        Assert.Equal("web", local["local"]!["apps"]!["1"]!["services"]!["1"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public void Before_any_target_the_local_shape_has_no_apps()
    {
        var local = TargetStateV2.ToLocal(null, "");

        Assert.Equal("""{"local":{"name":"","config":{},"apps":{}}}""", local.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "local": {} }""", true)]
    [InlineData("""{ "0123": { "apps": {} } }""", false)]
    [InlineData("""[1]""", false)]
    [InlineData("""{ not json""", false)]
    public void A_document_is_v2_when_its_top_level_holds_local(string json, bool v2) =>
        Assert.Equal(v2, TargetStateV2.IsV2(json));

    private static TargetState Accepted(string json)
    {
        var result = TargetStateV2.Parse(json, Device);
        Assert.True(result.IsValid, result.ToString());
        return result.State;
    }

    private static JsonElement V3(TargetState state)
    {
        using var document = JsonDocument.Parse(state.Json);
        return document.RootElement.GetProperty(Device).Clone();
    }
}
