using System.Text.Json;

namespace Supervisor.Bench.Images;

/// <summary>
/// The engine, registry and fixtures that <c>scripts/engine.sh up</c> prints. The image
/// benchmarks change what the engine holds, so they are meant for a private engine started that way.
/// </summary>
public sealed class BenchEngineEnvironment
{
    private BenchEngineEnvironment(string dockerHost, string? registry, string? fixturesManifest)
    {
        DockerHost = dockerHost;
        Registry = registry;
        FixturesManifest = fixturesManifest;
    }

    public string DockerHost { get; }

    public string? Registry { get; }

    public string? FixturesManifest { get; }

    public static BenchEngineEnvironment FromEnvironment()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(dockerHost))
        {
            throw new InvalidOperationException(
                "The image benchmarks need the project's private engine: DOCKER_HOST is not set. Start it first with: eval \"$(scripts/engine.sh up)\".");
        }

        return new BenchEngineEnvironment(
            dockerHost,
            Environment.GetEnvironmentVariable("SUPERVISOR_TEST_REGISTRY"),
            Environment.GetEnvironmentVariable("SUPERVISOR_TEST_FIXTURES"));
    }

    /// <summary>One fixture image of the manifest (<c>large</c>, <c>app-v1</c>, ...).</summary>
    public FixtureImage Fixture(string key)
    {
        if (string.IsNullOrEmpty(FixturesManifest) || !File.Exists(FixturesManifest))
        {
            throw new InvalidOperationException(
                "SUPERVISOR_TEST_FIXTURES does not name the fixture manifest; start the engine with: eval \"$(scripts/engine.sh up)\".");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(FixturesManifest));
        var entry = document.RootElement.GetProperty("images").GetProperty(key);
        return new FixtureImage(
            entry.GetProperty("repository").GetString()!,
            entry.GetProperty("tag").GetString()!,
            entry.GetProperty("digest").GetString()!,
            entry.GetProperty("imageId").GetString()!);
    }
}
