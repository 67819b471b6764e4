using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Activities.Engine;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Activities.Engine;

/// <summary>The adapter's image calls against the real test engine and registry.</summary>
public sealed class DockerEngineImageTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("engine-images");
    private DockerEngine _engine = null!;

    public Task InitializeAsync()
    {
        _engine = new DockerEngine(new DockerEngineOptions { DockerHost = _images.Environment.DockerHost }, null, NullLogger<DockerEngine>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _images.DisposeAsync();
    }

    [Fact]
    public async Task Ping_answers_when_the_engine_runs()
    {
        await _engine.PingAsync();
    }

    [Fact]
    public async Task Pull_by_digest_leaves_the_image_untagged_until_it_is_tagged()
    {
        var image = await _images.PublishAsync("bydigest");

        await _engine.PullImageAsync(image.DigestName);

        var pulled = await _engine.InspectImageAsync(image.DigestName);
        Assert.Equal(image.ImageId, pulled.Id);
        Assert.Empty(pulled.RepoTags);
        Assert.Contains(image.DigestName, pulled.RepoDigests);

        await _engine.TagImageAsync(image.DigestName, image.Repository, image.Tag);

        var tagged = await _engine.InspectImageAsync(image.TagName);
        Assert.Equal(image.ImageId, tagged.Id);
        Assert.Equal([image.TagName], tagged.RepoTags);
    }

    [Fact]
    public async Task Pull_by_tag_reports_progress_up_to_the_whole_image()
    {
        var image = await _images.PublishAsync("bytag", withBusybox: true);
        var reports = new List<PullProgress>();

        await _engine.PullImageAsync(image.TagName, new SynchronousProgress<PullProgress>(reports.Add));

        Assert.Equal([image.TagName], (await _engine.InspectImageAsync(image.TagName)).RepoTags);
        Assert.NotEmpty(reports);
        var last = reports[^1];
        Assert.True(last.TotalBytes > 0, "the layer size was never reported");
        Assert.Equal(last.TotalBytes, last.DownloadedBytes);
        Assert.Equal(100, last.Percent);
        Assert.Contains(reports, r => r.Percent < 100);
    }

    [Fact]
    public async Task Pull_of_a_digest_the_registry_lacks_fails_with_the_registrys_message_and_leaves_nothing()
    {
        var image = await _images.PublishAsync("missingdigest");
        var unknown = $"{image.Repository}@sha256:{new string('0', 64)}";

        var error = await Assert.ThrowsAsync<ImagePullFailedException>(() => _engine.PullImageAsync(unknown));

        Assert.Equal(unknown, error.Image);
        Assert.Contains("not found", error.RegistryMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(unknown, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _engine.ListImagesAsync(image.Repository));
    }

    [Fact]
    public async Task Pull_from_a_registry_that_is_down_fails_with_the_reason()
    {
        var port = FreeLoopbackPort.Find();
        var name = $"127.0.0.1:{port}/t/down-{Guid.NewGuid():N}:v1";

        var error = await Assert.ThrowsAsync<ImagePullFailedException>(() => _engine.PullImageAsync(name));

        Assert.Contains("connection refused", error.RegistryMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Removing_one_tag_keeps_the_image_under_its_other_tags_and_a_second_removal_is_not_found()
    {
        var first = _images.Repository("first");
        var second = _images.Repository("second");
        var id = await _images.ImportAsync(first, "v1");
        await _engine.TagImageAsync(id, second, "v1");

        await _engine.RemoveImageTagAsync($"{first}:v1");

        var remaining = await _engine.InspectImageAsync(id);
        Assert.Equal([$"{second}:v1"], remaining.RepoTags);
        var gone = await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.RemoveImageTagAsync($"{first}:v1"));
        Assert.Contains($"{first}:v1", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_last_tag_removes_the_image()
    {
        var repository = _images.Repository("last");
        var id = await _images.ImportAsync(repository, "v1");

        await _engine.RemoveImageTagAsync($"{repository}:v1");

        await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.InspectImageAsync(id));
    }

    [Fact]
    public async Task Two_repositories_of_the_same_content_share_one_image_id()
    {
        var shared = await _images.PublishAsync("v1", false, _images.Repository("shared-a"), _images.Repository("shared-b"));

        foreach (var image in shared)
        {
            await _engine.PullImageAsync(image.DigestName);
            await _engine.TagImageAsync(image.DigestName, image.Repository, image.Tag);
        }

        var a = await _engine.InspectImageAsync(shared[0].TagName);
        var b = await _engine.InspectImageAsync(shared[1].TagName);
        Assert.Equal(a.Id, b.Id);
        Assert.Equal(2, a.RepoTags.Count);

        // Removing one name must leave the other usable: the reason images are never removed by id.
        await _engine.RemoveImageTagAsync(shared[0].TagName);
        Assert.Equal([shared[1].TagName], (await _engine.InspectImageAsync(shared[1].TagName)).RepoTags);
    }

    [Fact]
    public async Task List_by_reference_returns_only_matching_images_with_their_digests()
    {
        var wanted = await _images.PublishAsync("listed");
        var other = await _images.PublishAsync("other");
        await _engine.PullImageAsync(wanted.TagName);
        await _engine.PullImageAsync(other.TagName);

        var listed = await _engine.ListImagesAsync(wanted.Repository);

        var image = Assert.Single(listed);
        Assert.Equal(wanted.ImageId, image.Id);
        Assert.Equal([wanted.TagName], image.RepoTags);
        Assert.Equal([wanted.DigestName], image.RepoDigests);
        Assert.True(image.Size > 0);
    }

    [Fact]
    public async Task Inspecting_an_unknown_image_is_not_found()
    {
        var error = await Assert.ThrowsAsync<EngineNotFoundException>(
            () => _engine.InspectImageAsync(_images.Repository("nothing") + ":v1"));

        Assert.Contains("inspect image", error.Message, StringComparison.Ordinal);
    }
}
