using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// Makes images with content of their own for one test: a root file system with a unique file
/// (and busybox when the test runs a container), imported into the test engine and, when asked,
/// pushed to the test registry and removed from the engine again so the test can pull it.
/// Every name it creates is unique, and <see cref="DisposeAsync"/> removes what is left of them,
/// so tests never see each other's images.
/// </summary>
public sealed class TestImageFactory : IAsyncDisposable
{
    private const string BusyboxPath = "/bin/busybox";
    private static readonly string[] BusyboxApplets = ["sh", "sleep", "cat", "echo", "true", "ls", "env"];

    private readonly DockerClient _client;
    private readonly List<string> _names = [];

    public TestImageFactory(string testName)
    {
        Environment = EngineEnvironment.FromEnvironment();
        Prefix = $"{Environment.Registry}/t/{testName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";
        _client = new DockerClientBuilder().WithEndpoint(new Uri(Environment.DockerHost)).Build();
    }

    public EngineEnvironment Environment { get; }

    /// <summary>The repository prefix of every image this factory makes.</summary>
    public string Prefix { get; }

    /// <summary>A raw engine client for setting up and checking state behind the adapter's back.</summary>
    public DockerClient Client => _client;

    /// <summary>A repository name unique to this factory.</summary>
    public string Repository(string name) => $"{Prefix}/{name}";

    /// <summary>Imports an image onto the engine only (no registry), tagged <c>repository:tag</c>.</summary>
    /// <param name="extraBytes">Random (incompressible) bytes to add, for tests that need a pull to take a while.</param>
    public async Task<string> ImportAsync(string repository, string tag, bool withBusybox = false, int extraBytes = 0)
    {
        using var rootfs = BuildRootFileSystem(withBusybox, extraBytes);
        await _client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag },
            rootfs,
            authConfig: null!,
            new Progress<JSONMessage>());
        _names.Add($"{repository}:{tag}");
        var image = await _client.Images.InspectImageAsync($"{repository}:{tag}");
        return image.ID;
    }

    /// <summary>
    /// Makes a unique image, pushes it under every repository named (so all share one image id and
    /// one digest) and removes it from the engine, leaving it only in the registry.
    /// </summary>
    public Task<IReadOnlyList<TestImage>> PublishAsync(string tag, bool withBusybox, params string[] repositories) =>
        PublishAsync(tag, withBusybox, 0, repositories);

    /// <inheritdoc cref="PublishAsync(string, bool, string[])"/>
    public async Task<IReadOnlyList<TestImage>> PublishAsync(string tag, bool withBusybox, int extraBytes, params string[] repositories)
    {
        var first = repositories[0];
        var imageId = await ImportAsync(first, tag, withBusybox, extraBytes);
        foreach (var other in repositories.Skip(1))
        {
            await _client.Images.TagImageAsync(imageId, new ImageTagParameters { RepositoryName = other, Tag = tag });
            _names.Add($"{other}:{tag}");
        }

        var published = new List<TestImage>();
        foreach (var repository in repositories)
        {
            string? error = null;
            await _client.Images.PushImageAsync(
                $"{repository}:{tag}",
                new ImagePushParameters(),
                new AuthConfig(),
                new SynchronousProgress<JSONMessage>(m => error ??= m.Error?.Message));
            if (error is not null)
            {
                throw new InvalidOperationException($"Pushing test image {repository}:{tag} failed: {error}");
            }

            var inspected = await _client.Images.InspectImageAsync($"{repository}:{tag}");
            var digest = inspected.RepoDigests.Single(d => d.StartsWith(repository + "@", StringComparison.Ordinal))[(repository.Length + 1)..];
            published.Add(new TestImage(repository, tag, digest, imageId));
        }

        await RemoveFromEngineAsync();
        return published;
    }

    /// <summary>One unique image, published under one repository.</summary>
    public async Task<TestImage> PublishAsync(string name, string tag = "v1", bool withBusybox = false, int extraBytes = 0) =>
        (await PublishAsync(tag, withBusybox, extraBytes, Repository(name)))[0];

    /// <summary>Removes every tag and digest reference this factory's images have on the engine.</summary>
    public async Task RemoveFromEngineAsync()
    {
        var images = await _client.Images.ListImagesAsync(new ImagesListParameters { All = true, Digests = true });
        foreach (var image in images)
        {
            var references = (image.RepoTags ?? []).Concat(image.RepoDigests ?? [])
                .Where(r => r.StartsWith(Prefix, StringComparison.Ordinal));
            foreach (var reference in references)
            {
                try
                {
                    await _client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
                }
                catch (DockerImageNotFoundException)
                {
                    // Already gone with an earlier reference of the same image.
                }
            }
        }
    }

    /// <summary>Removes containers carrying the label, running or not.</summary>
    public async Task RemoveContainersAsync(string label, string value)
    {
        var containers = await _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{label}={value}"] = true } },
        });
        foreach (var container in containers)
        {
            await _client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        // The app networks the supervisor made for these containers go with them (each test's apps are its own).
        var networks = containers.SelectMany(c => c.NetworkSettings?.Networks?.Keys ?? []).Distinct().ToList();
        foreach (var network in (await _client.Networks.ListNetworksAsync(new NetworksListParameters())).Where(n => networks.Contains(n.Name)))
        {
            if (network.Labels?.ContainsKey("io.supervisor.supervised") == true)
            {
                try
                {
                    await _client.Networks.DeleteNetworkAsync(network.ID);
                }
                catch (DockerApiException)
                {
                    // Removed by the supervisor meanwhile, or still used by a container of another owner: left to the engine's teardown.
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RemoveContainersAsync(TestLabels.Owner, Prefix);
            await RemoveFromEngineAsync();
        }
        finally
        {
            _client.Dispose();
        }
    }

    private static MemoryStream BuildRootFileSystem(bool withBusybox, int extraBytes)
    {
        var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var marker = new PaxTarEntry(TarEntryType.RegularFile, "fixture-id")
            {
                DataStream = new MemoryStream(Guid.NewGuid().ToByteArray()),
            };
            tar.WriteEntry(marker);
            if (extraBytes > 0)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "payload") { DataStream = new MemoryStream(System.Security.Cryptography.RandomNumberGenerator.GetBytes(extraBytes)) });
            }

            if (withBusybox)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute });
                tar.WriteEntry(BusyboxPath, "bin/busybox");
                foreach (var applet in BusyboxApplets)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox" });
                }

                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b111_111_111 });
            }
        }

        buffer.Position = 0;
        return buffer;
    }
}
