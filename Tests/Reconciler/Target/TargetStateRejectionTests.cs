using Supervisor.Reconciler.Target;
using static Supervisor.Tests.Reconciler.Target.TargetStateDocuments;

namespace Supervisor.Tests.Reconciler.Target;

public class TargetStateRejectionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void An_empty_document_is_refused(string json) =>
        AssertRefused(json, "$", "the document is empty");

    [Fact]
    public void Invalid_json_is_refused_with_its_position()
    {
        TargetStateError error = AssertRefused("{\n  \"a\": }", "$", "invalid JSON at line 2, byte 8");
        Assert.Contains("invalid start of a value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"x\"", "a string (\"x\")")]
    [InlineData("42", "a number (42)")]
    [InlineData("null", "null")]
    public void A_document_that_is_not_an_object_is_refused(string json, string found) =>
        AssertRefused(json, "$", $"expected an object, found {found}");

    [Fact]
    public void A_document_without_a_device_is_refused() =>
        AssertRefused("{}", "$", "expected one device uuid at the top level, found an empty object");

    [Fact]
    public void A_v2_document_is_refused_as_v2()
    {
        string json = """
            { "local": { "name": "d", "config": {}, "apps": { "1011165": {
                "name": "myfleet", "commit": "abc", "releaseId": 557617,
                "services": { "29396": { "serviceName": "main", "imageId": 959262, "image": "app" } },
                "volumes": {}, "networks": {} } } } }
            """;

        TargetStateError error = AssertRefused(json, "$", "looks like target state v2");
        Assert.Contains("target state v3 is expected", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"releases\": {\"<commit>\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_app_inside_a_v3_document_is_refused_as_v2()
    {
        TargetStateError error = AssertRefused(
            WithApp("""{ "name": "a", "commit": "abc", "services": {} }"""), AppPath, "this app looks like target state v2");
        Assert.Contains("{\"releases\": {\"<commit>\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_one_device_is_refused()
    {
        string json = """{ "dev1": { "apps": {} }, "dev2": { "apps": {} } }""";
        AssertRefused(json, "$", "expected exactly one device uuid at the top level, found 2: \"dev1\", \"dev2\"");
    }

    public static TheoryData<string, string, string> WrongTypes => new()
    {
        { $$"""{ "{{Device}}": { "name": 5, "apps": {} } }""", $"$.{Device}.name", "expected a string, found a number (5)" },
        { $$"""{ "{{Device}}": { "config": { "A": 1 }, "apps": {} } }""", $"$.{Device}.config.A", "expected a string, found a number (1)" },
        { $$"""{ "{{Device}}": { "config": [], "apps": {} } }""", $"$.{Device}.config", "expected an object, found an array" },
        { $$"""{ "{{Device}}": { "apps": [] } }""", $"$.{Device}.apps", "expected an object, found an array" },
        { $$"""{ "{{Device}}": "x" }""", $"$.{Device}", "expected an object, found a string (\"x\")" },
        { WithApp("""{ "id": "7", "name": "a", "releases": {} }"""), $"{AppPath}.id", "expected an integer, found a string (\"7\")" },
        { WithApp("""{ "id": 1.5, "name": "a", "releases": {} }"""), $"{AppPath}.id", "expected an integer, found a number (1.5)" },
        { WithApp("""{ "name": null, "releases": {} }"""), $"{AppPath}.name", "expected a string, found null" },
        { WithApp("""{ "name": "a", "is_host": "yes", "releases": {} }"""), $"{AppPath}.is_host", "expected a boolean, found a string (\"yes\")" },
        { WithApp("""{ "name": "a", "parent_app": 3, "releases": {} }"""), $"{AppPath}.parent_app", "expected a string, found a number (3)" },
        { WithApp("""{ "name": "a", "releases": [] }"""), $"{AppPath}.releases", "expected an object, found an array" },
        { WithRelease("""{ "id": true, "services": {} }"""), $"{ReleasePath}.id", "expected an integer, found a boolean (true)" },
        { WithRelease("""{ "services": [] }"""), $"{ReleasePath}.services", "expected an object, found an array" },
        { WithRelease("""{ "services": {}, "volumes": { "data": "x" } }"""), $"{ReleasePath}.volumes.data", "expected an object of compose options, found a string (\"x\")" },
        { WithService($$"""{ "image": "{{Image}}", "running": "true" }"""), $"{ServicePath}.running", "expected a boolean, found a string (\"true\")" },
        { WithService($$"""{ "image": "{{Image}}", "environment": { "A": 1 } }"""), $"{ServicePath}.environment.A", "expected a string, found a number (1)" },
        { WithService($$"""{ "image": "{{Image}}", "labels": { "io.balena.x": false } }"""), $"{ServicePath}.labels['io.balena.x']", "expected a string, found a boolean (false)" },
        { WithService($$"""{ "image": "{{Image}}", "image_id": "9" }"""), $"{ServicePath}.image_id", "expected an integer, found a string (\"9\")" },
        { WithService($$"""{ "image": "{{Image}}", "contract": "x" }"""), $"{ServicePath}.contract", "expected an object, found a string (\"x\")" },
        { WithService("""{ "image": 5 }"""), $"{ServicePath}.image", "expected a string, found a number (5)" },
        { WithComposition("[]"), CompositionPath, "expected an object, found an array" },
        { WithComposition("""{ "command": 5 }"""), $"{CompositionPath}.command", "expected a string or an array of strings, found a number (5)" },
        { WithComposition("""{ "entrypoint": ["a", 1] }"""), $"{CompositionPath}.entrypoint[1]", "expected a string, found a number (1)" },
        { WithComposition("""{ "environment": "A=1" }"""), $"{CompositionPath}.environment", "expected an object or an array of \"KEY=value\" strings" },
        { WithComposition("""{ "environment": ["A"] }"""), $"{CompositionPath}.environment[0]", "expected \"KEY=value\", found \"A\"" },
        { WithComposition("""{ "labels": ["=x"] }"""), $"{CompositionPath}.labels[0]", "expected \"KEY=value\", found \"=x\"" },
        { WithComposition("""{ "network_mode": 1 }"""), $"{CompositionPath}.network_mode", "expected a string, found a number (1)" },
        { WithComposition("""{ "stop_grace_period": 10 }"""), $"{CompositionPath}.stop_grace_period", "expected a string, found a number (10)" },
        { WithComposition("""{ "volumes": "data:/data" }"""), $"{CompositionPath}.volumes", "expected an array, found a string" },
        { WithComposition("""{ "volumes": [5] }"""), $"{CompositionPath}.volumes[0]", "expected a string \"name:target[:ro|rw]\" or \"target\" or an object, found a number (5)" },
        { WithComposition("""{ "volumes": [{ "type": "bind", "source": "/a", "target": "/b", "read_only": "no" }] }"""), $"{CompositionPath}.volumes[0].read_only", "expected a boolean, found a string (\"no\")" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_value_of_the_wrong_type_is_refused(string json, string path, string message) =>
        AssertRefused(json, path, message);

    [Fact]
    public void Two_releases_for_one_app_are_refused_naming_both()
    {
        string json = WithApp($$"""
            { "name": "a", "releases": {
              "c1": { "services": { "main": { "image": "{{Image}}" } } },
              "c2": { "services": { "main": { "image": "{{Image}}" } } } } }
            """);

        AssertRefused(json, $"{AppPath}.releases", "an app has at most one release, found 2: \"c1\" and \"c2\"");
    }

    [Fact]
    public void An_app_without_releases_is_refused() =>
        AssertRefused(WithApp("""{ "id": 1, "name": "a" }"""), $"{AppPath}.releases", "\"releases\" is missing; an app needs a releases object, {} for no release");

    [Fact]
    public void An_app_without_a_name_is_refused() =>
        AssertRefused(WithApp("""{ "releases": {} }"""), $"{AppPath}.name", "\"name\" is missing");

    [Fact]
    public void A_device_without_apps_is_refused() =>
        AssertRefused($$"""{ "{{Device}}": { "name": "d" } }""", $"$.{Device}.apps", "\"apps\" is missing");

    [Fact]
    public void A_service_without_an_image_is_refused() =>
        AssertRefused(WithService("""{ "id": 3, "environment": {} }"""), $"{ServicePath}.image", "\"image\" is missing; a service needs an image");

    [Theory]
    [InlineData("App/Main", "path component \"App\" must be lower case")]
    [InlineData("app@sha256:abc", "a sha256 digest must be exactly 64 lower-case hex digits")]
    [InlineData("", "it is empty")]
    public void A_service_with_an_invalid_image_is_refused_with_the_reason(string image, string reason) =>
        AssertRefused(WithService($$"""{ "image": "{{image}}" }"""), $"{ServicePath}.image", $"invalid image reference \"{image}\": {reason}");

    [Fact]
    public void An_unknown_class_is_refused() =>
        AssertRefused(WithApp("""{ "name": "a", "class": "service", "releases": {} }"""), $"{AppPath}.class", "unknown class \"service\"; expected fleet, app or block");

    [Theory]
    [InlineData("never")]
    [InlineData("Always")]
    [InlineData("on-failure:3")]
    public void An_invalid_restart_policy_is_refused(string restart) =>
        AssertRefused(
            WithComposition($$"""{ "restart": "{{restart}}" }"""),
            $"{CompositionPath}.restart",
            $"unknown restart policy \"{restart}\"; expected no, always, unless-stopped or on-failure");

    [Theory]
    [InlineData("10")]
    [InlineData("ten seconds")]
    [InlineData("-5s")]
    [InlineData("1x")]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("99999999999999999999h")]
    public void An_invalid_stop_grace_period_is_refused(string period) =>
        AssertRefused(
            WithComposition($$"""{ "stop_grace_period": "{{period}}" }"""),
            $"{CompositionPath}.stop_grace_period",
            $"invalid duration \"{period}\"; expected a compose duration");

    [Theory]
    [InlineData("\"logs:/logs\"")]
    [InlineData("""{ "type": "volume", "source": "logs", "target": "/logs" }""")]
    public void A_mount_of_an_undeclared_volume_is_refused(string mount) =>
        AssertRefused(
            WithComposition($$"""{ "volumes": [{{mount}}] }""", releaseVolumes: """{ "data": {} }"""),
            $"{CompositionPath}.volumes[0]",
            "the volume \"logs\" is not declared in the release's volumes");

    [Theory]
    [InlineData("\"data:data\"", "the target \"data\" must be an absolute path")]
    [InlineData("""{ "type": "volume", "source": "data", "target": "srv" }""", "the target \"srv\" must be an absolute path")]
    [InlineData("\"./here:/here\"", "\"./here\" is not a volume name: a release mounts named volumes declared in its volumes")]
    [InlineData("\"a:/b:ro:x\"", "expected \"name:target[:ro|rw]\" or \"target\", found \"a:/b:ro:x\"")]
    [InlineData("\"data:/data:z\"", "unknown mode \"z\" in \"data:/data:z\"; expected ro or rw")]
    public void A_malformed_mount_is_refused(string mount, string message) =>
        AssertRefused(
            WithComposition($$"""{ "volumes": [{{mount}}] }""", releaseVolumes: """{ "data": {} }"""),
            $"{CompositionPath}.volumes[0]",
            message);

    // balena drops such a bind with a warning and runs the service without it; refusing says what cannot be honoured.
    [Theory]
    [InlineData("\"/var/log:/host-logs\"", "/var/log")]
    [InlineData("\"/etc/hosts:/etc/hosts:ro\"", "/etc/hosts")]
    [InlineData("""{ "type": "bind", "source": "/srv", "target": "/srv" }""", "/srv")]
    [InlineData("""{ "type": "bind", "source": "srv", "target": "/srv" }""", "srv")]
    public void A_bind_of_a_host_path_is_refused_by_name(string mount, string hostPath) =>
        AssertRefused(
            WithComposition($$"""{ "volumes": ["data:/data", {{mount}}] }""", releaseVolumes: """{ "data": {} }"""),
            $"{CompositionPath}.volumes[1]",
            $"binds the host path \"{hostPath}\": a release cannot mount the device's host; mount a named volume declared in the release's volumes");

    [Fact]
    public void A_long_mount_of_an_unsupported_type_is_refused() =>
        AssertRefused(
            WithComposition("""{ "volumes": [{ "type": "npipe", "source": "x", "target": "/x" }] }"""),
            $"{CompositionPath}.volumes[0].type",
            "unsupported mount type \"npipe\"; expected volume or tmpfs");

    [Fact]
    public void A_long_mount_without_a_target_is_refused() =>
        AssertRefused(
            WithComposition("""{ "volumes": [{ "type": "bind", "source": "/x" }] }"""),
            $"{CompositionPath}.volumes[0].target",
            "\"target\" is missing; a mount needs a target");

    public static TheoryData<string, string, string> UnsupportedFields => new()
    {
        { """{ "build": "." }""", "build", "\"build\" is not supported: the device cannot build images" },
        { """{ "container_name": "web" }""", "container_name", "\"container_name\" is not supported: the supervisor names containers itself" },
        { """{ "frobnicate": true }""", "frobnicate", "\"frobnicate\" is not a compose field the supervisor knows" },
        { """{ "network_mode": "container:abc" }""", "network_mode", "network_mode \"container:abc\" is not supported; expected host, none, bridge or service:NAME" },
        { """{ "ports": ["80:81:82:83"] }""", "ports[0]", "expected \"[[host_ip:]host_port[-end]:]container_port[-end][/tcp|udp]\", found \"80:81:82:83\"" },
        { """{ "ports": ["8000-8002:80"] }""", "ports[0]", "maps 3 host ports onto 1 container ports; the ranges must be the same size" },
        { """{ "ports": ["70000"] }""", "ports[0]", "has a port outside 1-65535" },
        { """{ "privileged": "yes" }""", "privileged", "expected a boolean, found a string (\"yes\")" },
        { """{ "mem_limit": "1.5g" }""", "mem_limit", "expected bytes, or a number with a unit b, k, m or g (e.g. 512m)" },
        { """{ "cpus": "lots" }""", "cpus", "expected a positive number of CPUs" },
        { """{ "devices": ["ttyUSB0"] }""", "devices[0]", "expected \"/dev/host[:/dev/container[:permissions]]\", found \"ttyUSB0\"" },
        { """{ "ulimits": { "nofile": { "soft": 1 } } }""", "ulimits.nofile.hard", "\"hard\" is missing" },
        { """{ "healthcheck": { "test": "true", "interval": "often" } }""", "healthcheck.interval", "invalid duration \"often\"" },
        { """{ "depends_on": { "db": { "condition": "service_healthy" } } }""", "depends_on.db.condition", "condition \"service_healthy\" is not supported" },
        { """{ "depends_on": ["db"] }""", "depends_on", "depends on \"db\", which is not a service of this release" },
        { """{ "network_mode": "service:vpn" }""", "depends_on", "depends on \"vpn\", which is not a service of this release" },
        { """{ "volumes": [{ "type": "tmpfs", "source": "x", "target": "/x" }] }""", "volumes[0].source", "a tmpfs has no source" },
        { """{ "volumes": [{ "type": "volume", "target": "/x", "consistency": "cached" }] }""", "volumes[0].consistency", "unknown key \"consistency\" in a mount" },
        { """{ "volumes": [{ "type": "volume", "target": "/x", "volume": { "subpath": "a" } }] }""", "volumes[0].volume.subpath", "unknown key \"subpath\" in volume options; expected nocopy" },
        { """{ "networks": ["front"] }""", "networks[0]", "the network \"front\" is not declared in the release's networks" },
        { """{ "networks": { "default": { "priority": 1 } } }""", "networks.default.priority", "unknown key \"priority\" in a service's network" },
        { """{ "networks": "default" }""", "networks", "expected a list of network names or an object of networks" },
        { """{ "networks": ["default"], "network_mode": "host" }""", "networks", "a service with a network_mode joins no networks" },
        { """{ "labels": { "io.balena.features.balena-api": "1" } }""", "labels['io.balena.features.balena-api']", "Supervisor does not give the feature io.balena.features.balena-api" },
        { """{ "labels": { "io.resin.features.extra-firmware": "true" } }""", "labels['io.resin.features.extra-firmware']", "Supervisor does not give the feature io.resin.features.extra-firmware" },
    };

    [Theory]
    [InlineData("""{ "front": { "external": true } }""", "front.external", "\"external\" is not supported: an app's networks are the supervisor's own")]
    [InlineData("""{ "front": { "driverr": "bridge" } }""", "front.driverr", "unknown network option \"driverr\"; expected one of driver, driver_opts, ipam")]
    [InlineData("""{ "front": { "ipam": { "config": [{ "subnet": "10.1.0.0/16", "range": "x" }] } } }""", "front.ipam.config[0].range", "unknown key \"range\" in an address pool")]
    [InlineData("""{ "front": { "internal": "yes" } }""", "front.internal", "expected a boolean")]
    [InlineData("""{ "front": { "ipam": { "config": [{ "subnet": "10.0.0.0/33" }] } } }""", "front.ipam.config[0].subnet", "\"10.0.0.0/33\" is not an address range in CIDR form")]
    [InlineData("""{ "front": { "ipam": { "config": [{ "subnet": "10.0.0.0/24", "gateway": "10.0.0" }] } } }""", "front.ipam.config[0].gateway", "\"10.0.0\" is not an IP address")]
    public void A_release_network_option_the_supervisor_cannot_honour_is_refused(string networks, string path, string message) =>
        AssertRefused(WithComposition("{}", releaseNetworks: networks), $"{ReleasePath}.networks.{path}", message);

    [Theory]
    [InlineData("""{ "data": { "external": true } }""", "data.external", "\"external\" is not supported: an app's volumes are the supervisor's own")]
    [InlineData("""{ "data": { "name": "shared" } }""", "data.name", "\"name\" is not supported: the supervisor names an app's volumes <appId>_<name>")]
    [InlineData("""{ "data": { "driver_options": {} } }""", "data.driver_options", "unknown volume option \"driver_options\"; expected one of driver, driver_opts, labels")]
    [InlineData("""{ "data": { "driver": 5 } }""", "data.driver", "expected a string")]
    public void A_release_volume_option_the_supervisor_cannot_honour_is_refused(string volumes, string path, string message) =>
        AssertRefused(WithComposition("{}", releaseVolumes: volumes), $"{ReleasePath}.volumes.{path}", message);

    [Theory]
    [MemberData(nameof(UnsupportedFields))]
    public void A_field_the_supervisor_cannot_honour_is_refused_by_name(string composition, string path, string message) =>
        AssertRefused(WithComposition(composition), $"{CompositionPath}.{path}", message);

    [Fact]
    public void Services_that_depend_on_each_other_in_a_cycle_are_refused()
    {
        string json = WithService($$"""
            { "image": "{{Image}}", "composition": { "depends_on": ["db"] } },
            "db": { "image": "{{Image}}", "composition": { "depends_on": ["main"] } }
            """);

        AssertRefused(json, ServicePath, "services depend on each other in a cycle: main -> db -> main");
    }

    [Fact]
    public void An_unclosed_quote_in_a_command_is_refused() =>
        AssertRefused(
            WithComposition("""{ "command": "sh -c 'echo hi" }"""),
            $"{CompositionPath}.command",
            "cannot split \"sh -c 'echo hi\" into words: the single quote at position 6 is not closed");

    [Fact]
    public void Unknown_keys_on_apps_releases_and_services_are_refused()
    {
        string json = WithApp($$"""
            { "name": "a", "relase_notes": "x", "releases": { "{{Commit}}": {
              "services": { "main": { "image": "{{Image}}", "enviroment": {} } }, "volume": {} } } }
            """);

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Collection(
            result.Errors,
            e => AssertError(e, $"{AppPath}.relase_notes", "unknown key \"relase_notes\" in an app; expected id, name, class, releases, is_host, parent_app"),
            e => AssertError(e, $"{ReleasePath}.volume", "unknown key \"volume\" in a release; expected id, services, volumes, networks"),
            e => AssertError(e, $"{ServicePath}.enviroment", "unknown key \"enviroment\" in a service; expected id, image_id, image, environment, labels, running, contract, composition"));
    }

    [Fact]
    public void A_key_written_twice_is_refused() =>
        AssertRefused(
            WithService($$"""{ "image": "{{Image}}", "running": true, "running": false }"""),
            $"{ServicePath}.running",
            "the key \"running\" is written more than once");

    [Fact]
    public void Odd_keys_are_quoted_in_paths()
    {
        // "my.app" rather than "my app": an app uuid must also be a valid name (NameGrammar).
        string json = $$"""{ "dev.1": { "apps": { "my.app": { "name": 1, "releases": {} } } } }""";
        AssertRefused(json, "$['dev.1'].apps['my.app'].name", "expected a string");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        string json = $$"""
            { "{{Device}}": { "name": 1, "config": { "A": 2 }, "apps": {
              "{{App}}": { "id": "x", "name": "a", "class": "nope", "releases": { "{{Commit}}": {
                "services": {
                  "main": { "image": "Bad/Image", "running": "yes",
                            "composition": { "restart": "sometimes", "stop_grace_period": "soon", "volumes": ["logs:/logs", "data:rel"] } },
                  "other": { "environment": { "K": 1 } } },
                "volumes": { "data": {} } } } },
              "second": { "name": "b", "commit": "c", "services": {} } } } }
            """;

        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Null(result.State);
        Assert.Equal(
            [
                $"$.{Device}.name",
                $"$.{Device}.config.A",
                $"{AppPath}.id",
                $"{AppPath}.class",
                $"{ServicePath}.image",
                $"{ServicePath}.running",
                $"{CompositionPath}.restart",
                $"{CompositionPath}.stop_grace_period",
                $"{CompositionPath}.volumes[0]",
                $"{CompositionPath}.volumes[1]",
                $"{ReleasePath}.services.other.image",
                $"{ReleasePath}.services.other.environment.K",
                $"$.{Device}.apps.second",
            ],
            result.Errors.Select(e => e.Path));
        Assert.Equal(13, result.Errors.Count);
    }

    private static TargetStateError AssertRefused(string json, string path, string messageFragment)
    {
        TargetStateParseResult result = TargetStateParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Null(result.State);
        TargetStateError error = Assert.Single(result.Errors);
        AssertError(error, path, messageFragment);
        return error;
    }

    private static void AssertError(TargetStateError error, string path, string messageFragment)
    {
        Assert.Equal(path, error.Path);
        Assert.Contains(messageFragment, error.Message, StringComparison.Ordinal);
    }
}
