using Supervisor.Reconciler.Target;
using static Supervisor.Tests.Reconciler.Target.TargetStateDocuments;

namespace Supervisor.Tests.Reconciler.Target;

public class ServiceCompositionTests
{
    public static TheoryData<string, string[]> Commands => new()
    {
        { "\"npm start\"", ["npm", "start"] },
        { "\"  spaced \\t  out  \"", ["spaced", "out"] },
        { "\"sh -c 'echo $HOME; ls | wc'\"", ["sh", "-c", "echo $HOME; ls | wc"] },
        { "\"echo \\\"a b\\\" c\"", ["echo", "a b", "c"] },
        { "\"echo \\\"say \\\\\\\"hi\\\\\\\"\\\"\"", ["echo", "say \"hi\""] },
        { "\"a'b c'd\"", ["ab cd"] },
        { "\"x '' y\"", ["x", "", "y"] },
        { "\"a\\\\ b\"", ["a b"] },
        { "\"\"", [] },
        { "[\"sh\", \"-c\", \"echo 'a b'\"]", ["sh", "-c", "echo 'a b'"] },
        { "[]", [] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_and_entrypoint_take_a_string_or_an_array(string command, string[] words)
    {
        TargetService service = Parse($$"""{ "command": {{command}}, "entrypoint": {{command}} }""");

        Assert.Equal(words, service.Command);
        Assert.Equal(words, service.Entrypoint);
    }

    [Fact]
    public void The_services_own_environment_and_labels_win_over_the_compositions()
    {
        string json = WithService($$"""
            { "image": "{{Image}}",
              "environment": { "SHARED": "top", "TOP": "1" },
              "labels": { "io.balena.x": "top" },
              "composition": {
                "environment": ["SHARED=composition", "ONLY_COMPOSE=a=b", "EMPTY="],
                "labels": { "io.balena.x": "composition", "io.balena.y": "composition" } } }
            """);

        TargetService service = ParseService(json);

        Assert.Equal(
            new Dictionary<string, string> { ["SHARED"] = "top", ["ONLY_COMPOSE"] = "a=b", ["EMPTY"] = "", ["TOP"] = "1" },
            service.Environment);
        Assert.Equal(
            new Dictionary<string, string> { ["io.balena.x"] = "top", ["io.balena.y"] = "composition" },
            service.Labels);
        Assert.Equal("composition", service.Composition.Environment["SHARED"]);
    }

    [Fact]
    public void Environment_and_labels_may_be_objects_or_arrays()
    {
        TargetService service = Parse("""{ "environment": { "A": "1" }, "labels": ["l.a=1", "l.a=2"] }""");

        Assert.Equal("1", service.Environment["A"]);
        Assert.Equal("2", service.Labels["l.a"]);
    }

    [Fact]
    public void Volumes_take_the_short_and_the_long_syntax()
    {
        string json = WithComposition(
            """
            { "volumes": [
                "data:/data",
                "data:/data-ro:ro",
                "data:/data-rw:rw",
                { "type": "volume", "source": "cache", "target": "/cache" },
                { "type": "volume", "source": "cache", "target": "/cache-ro", "read_only": true } ] }
            """,
            releaseVolumes: """{ "data": {}, "cache": null }""");

        TargetService service = ParseService(json);

        Assert.Equal(
            [
                new ServiceMount("data", "/data"),
                new ServiceMount("data", "/data-ro", ReadOnly: true),
                new ServiceMount("data", "/data-rw"),
                new ServiceMount("cache", "/cache"),
                new ServiceMount("cache", "/cache-ro", ReadOnly: true),
            ],
            service.Volumes);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h5m7s", 3_907_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void Stop_grace_period_takes_compose_durations(string period, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse($$"""{ "stop_grace_period": "{{period}}" }""").StopGracePeriod);

    [Theory]
    [InlineData("1500us", 15_000)]
    [InlineData("1500µs", 15_000)]
    [InlineData("300ns", 3)]
    public void Stop_grace_period_takes_small_units_to_the_tick(string period, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), Parse($$"""{ "stop_grace_period": "{{period}}" }""").StopGracePeriod);

    [Theory]
    [InlineData("no", RestartPolicy.No)]
    [InlineData("always", RestartPolicy.Always)]
    [InlineData("unless-stopped", RestartPolicy.UnlessStopped)]
    [InlineData("on-failure", RestartPolicy.OnFailure)]
    public void Restart_takes_the_four_policies(string restart, RestartPolicy policy) =>
        Assert.Equal(policy, Parse($$"""{ "restart": "{{restart}}" }""").Restart);

    [Fact]
    public void An_empty_composition_takes_the_defaults()
    {
        TargetService service = Parse("{}");

        Assert.Equal(RestartPolicy.Always, service.Restart);
        Assert.Equal(TimeSpan.FromSeconds(10), service.StopGracePeriod);
        Assert.Null(service.Command);
        Assert.Empty(service.Volumes);
    }

    [Fact]
    public void Network_mode_and_unknown_keys_are_kept()
    {
        TargetService service = Parse("""{ "network_mode": "host", "privileged": true, "cap_add": ["NET_ADMIN"], "build": "." }""");

        Assert.Equal("host", service.NetworkMode);
        Assert.True(service.Composition.Raw!.Value.GetProperty("privileged").GetBoolean());
    }

    private static TargetService Parse(string composition) => ParseService(WithComposition(composition));

    private static TargetService ParseService(string json)
    {
        TargetStateParseResult result = TargetStateParser.Parse(json);
        Assert.True(result.IsValid, result.ToString());
        return result.State.Apps[App].Release!.Services["main"];
    }
}
