namespace Supervisor.Tests.Fixtures;

/// <summary>
/// Where the test engine and registry are, as <c>scripts/engine.sh</c> prints them. Tests that
/// need the engine fail (never skip) without it, with a message that says how to start it.
/// </summary>
public sealed class EngineEnvironment
{
    private EngineEnvironment(string dockerHost, string registry, string? fixturesManifest)
    {
        DockerHost = dockerHost;
        Registry = registry;
        FixturesManifest = fixturesManifest;
    }

    public string DockerHost { get; }

    /// <summary>The loopback registry, <c>127.0.0.1:PORT</c>.</summary>
    public string Registry { get; }

    public string? FixturesManifest { get; }

    public static EngineEnvironment FromEnvironment()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var registry = Environment.GetEnvironmentVariable("SUPERVISOR_TEST_REGISTRY");
        if (string.IsNullOrEmpty(dockerHost) || string.IsNullOrEmpty(registry))
        {
            throw new InvalidOperationException(
                "The engine tests need the test engine and registry: DOCKER_HOST and SUPERVISOR_TEST_REGISTRY are not set. " +
                "Run the tests with scripts/test.sh, or start them first with: eval \"$(scripts/engine.sh up)\".");
        }

        return new EngineEnvironment(dockerHost, registry, Environment.GetEnvironmentVariable("SUPERVISOR_TEST_FIXTURES"));
    }
}
