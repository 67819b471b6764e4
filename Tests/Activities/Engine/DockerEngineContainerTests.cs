using Supervisor.Activities.Services.Config;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Activities.Engine;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Engine;

/// <summary>The adapter's container calls against the real test engine.</summary>
public sealed class DockerEngineContainerTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("engine-containers");
    private readonly string _bindSource = Directory.CreateTempSubdirectory("supervisor-bind-").FullName;
    private DockerEngine _engine = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        _engine = new DockerEngine(new DockerEngineOptions { DockerHost = _images.Environment.DockerHost }, null, NullLogger<DockerEngine>.Instance);
        var repository = _images.Repository("runner");
        await _images.ImportAsync(repository, "v1", withBusybox: true);
        _image = $"{repository}:v1";
    }

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _images.DisposeAsync();
        Directory.Delete(_bindSource, recursive: true);
    }

    private ContainerSpec Spec(string name, params string[] command) => new()
    {
        Name = $"{name}-{Guid.NewGuid():N}",
        Image = _image,
        Config = new ServiceConfig
        {
            Command = command,
            Init = true,
            NetworkMode = "none",
            Labels = new Dictionary<string, string> { [TestLabels.Owner] = _images.Prefix, ["io.supervisor.test.role"] = name },
        },
    };

    [Fact]
    public async Task A_container_goes_through_create_start_stop_and_remove()
    {
        File.WriteAllText(Path.Combine(_bindSource, "greeting"), "hello");
        var basic = Spec("lifecycle", "sleep", "600");
        var spec = basic with
        {
            Config = basic.Config with { Environment = new Dictionary<string, string> { ["GREETING"] = "hello" } },
            HostBinds = [$"{_bindSource}:/tmp/balena"],
        };

        var id = await _engine.CreateContainerAsync(spec);
        var created = await _engine.InspectContainerAsync(id);
        Assert.Equal(spec.Name, created.Name);
        Assert.Equal("created", created.State);
        Assert.False(created.Running);
        Assert.Equal("lifecycle", created.Labels["io.supervisor.test.role"]);
        Assert.Equal(_image, created.Image);

        await _engine.StartContainerAsync(id);
        var started = await _engine.InspectContainerAsync(id);
        Assert.True(started.Running);
        Assert.NotNull(started.StartedAt);

        var raw = await _images.Client.Containers.InspectContainerAsync(id);
        Assert.True(raw.HostConfig!.Init);
        Assert.Equal("none", raw.HostConfig.NetworkMode);
        Assert.Contains("GREETING=hello", raw.Config!.Env);
        Assert.Contains($"{_bindSource}:/tmp/balena", raw.HostConfig.Binds);

        // With an init process, sleep goes at once instead of after the grace period.
        await _engine.StopContainerAsync(id, TimeSpan.FromSeconds(30));
        Assert.False((await _engine.InspectContainerAsync(id)).Running);
        await _engine.StopContainerAsync(id, TimeSpan.FromSeconds(30));

        await _engine.RemoveContainerAsync(id);
        await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.InspectContainerAsync(id));
    }

    [Fact]
    public async Task Containers_are_listed_by_label()
    {
        var first = await _engine.CreateContainerAsync(Spec("listed", "sleep", "600"));
        var second = await _engine.CreateContainerAsync(Spec("listed", "sleep", "600"));
        await _engine.CreateContainerAsync(Spec("unlisted", "sleep", "600"));

        var listed = await _engine.ListContainersAsync(new Dictionary<string, string?>
        {
            [TestLabels.Owner] = _images.Prefix,
            ["io.supervisor.test.role"] = "listed",
        });
        var any = await _engine.ListContainersAsync(new Dictionary<string, string?>
        {
            [TestLabels.Owner] = _images.Prefix,
            ["io.supervisor.test.role"] = null,
        });

        Assert.Equal(new[] { first, second }.Order(), listed.Select(c => c.Id).Order());
        Assert.All(listed, c => Assert.Equal("created", c.State));
        Assert.Equal(3, any.Count);
    }

    [Fact]
    public async Task Removing_a_running_container_is_a_conflict()
    {
        var id = await _engine.CreateContainerAsync(Spec("running", "sleep", "600"));
        await _engine.StartContainerAsync(id);

        var error = await Assert.ThrowsAsync<EngineConflictException>(() => _engine.RemoveContainerAsync(id));

        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        Assert.True((await _engine.InspectContainerAsync(id)).Running);
    }

    [Fact]
    public async Task Creating_a_second_container_with_a_taken_name_is_a_conflict()
    {
        var spec = Spec("named", "sleep", "600");
        await _engine.CreateContainerAsync(spec);

        await Assert.ThrowsAsync<EngineConflictException>(() => _engine.CreateContainerAsync(spec));
    }

    [Fact]
    public async Task Creating_from_an_unknown_image_is_not_found()
    {
        var spec = Spec("noimage", "sleep", "1") with { Image = _images.Repository("absent") + ":v1" };

        await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.CreateContainerAsync(spec));
    }

    [Fact]
    public async Task Starting_an_unknown_container_is_not_found()
    {
        await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.StartContainerAsync("supervisor-test-no-such-container"));
    }
}
