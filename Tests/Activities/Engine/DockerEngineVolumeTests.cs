using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Activities.Engine;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Engine;

/// <summary>
/// The adapter's volume calls against the real test engine. The volumes carry no app label and no app-like name, so
/// that a volume cleanup tested beside these leaves them alone.
/// </summary>
public sealed class DockerEngineVolumeTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("engine-volumes");
    private readonly string _free = "t-free-" + Guid.NewGuid().ToString("N");
    private readonly string _used = "t-used-" + Guid.NewGuid().ToString("N");
    private DockerEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = new DockerEngine(new DockerEngineOptions { DockerHost = _images.Environment.DockerHost }, null, NullLogger<DockerEngine>.Instance);
        await _images.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = _free, Labels = new Dictionary<string, string> { ["io.supervisor.test.role"] = "free" } });
        await _images.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = _used });
        var repository = _images.Repository("holder");
        await _images.ImportAsync(repository, "v1", withBusybox: true);
        await _images.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = $"{repository}:v1",
            Cmd = ["true"],
            Labels = new Dictionary<string, string> { [TestLabels.Owner] = _images.Prefix },
            HostConfig = new HostConfig { Binds = [$"{_used}:/data"], NetworkMode = "none" },
        });
    }

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
        foreach (var name in new[] { _free, _used })
        {
            try
            {
                await _images.Client.Volumes.RemoveAsync(name, force: true);
            }
            catch (Docker.DotNet.DockerApiException)
            {
                // Removed by the test.
            }
        }

        await _images.DisposeAsync();
    }

    [Fact]
    public async Task Volumes_are_listed_with_their_labels_and_a_free_one_is_removed()
    {
        var listed = await _engine.ListVolumesAsync();
        Assert.Equal("free", Assert.Single(listed, v => v.Name == _free).Labels["io.supervisor.test.role"]);
        Assert.Empty(Assert.Single(listed, v => v.Name == _used).Labels);

        await _engine.RemoveVolumeAsync(_free);

        Assert.DoesNotContain(await _engine.ListVolumesAsync(), v => v.Name == _free);
        var gone = await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.RemoveVolumeAsync(_free));
        Assert.Contains(_free, gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_volume_a_container_uses_is_a_conflict_and_stays()
    {
        var error = await Assert.ThrowsAsync<EngineConflictException>(() => _engine.RemoveVolumeAsync(_used));

        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.Contains(await _engine.ListVolumesAsync(), v => v.Name == _used);
    }
}
