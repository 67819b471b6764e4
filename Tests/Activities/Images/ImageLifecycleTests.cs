using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Images;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;

namespace Supervisor.Tests.Activities.Images;

/// <summary>
/// The shipped <c>fetch-image</c> and <c>remove-image</c> workflows through the real host, against
/// the real engine and registry, with images each test makes for itself.
/// </summary>
public sealed class ImageLifecycleTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("lifecycle");
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(workflows: SupervisorHostFactory.Shipped("fetch-image", "remove-image"));
        _client = _host.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
    }

    private ImageStore Store => _host.Services.GetRequiredService<ImageStore>();

    private async Task<JsonElement> RunAsync(string workflow, object input)
    {
        using var response = await _client.PostAsJsonAsync($"/v3/workflows/{workflow}/runs?wait=60", input);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<JsonElement> FetchAsync(string image, string service = "main", string commit = "c1") =>
        RunAsync("fetch-image", new { image, appUuid = "app1", serviceName = service, commit, appId = 11, serviceId = 22, imageId = 33, releaseId = 44 });

    private Task<JsonElement> RemoveAsync(string image, string service = "main", string commit = "c1") =>
        RunAsync("remove-image", new { image, appUuid = "app1", serviceName = service, commit });

    private static void AssertCompleted(JsonElement run) =>
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"the run ended {run.GetProperty("status")}: {run.GetProperty("message")}");

    private async Task<IReadOnlyList<string>> TagsAsync(string imageId) =>
        [.. (await _images.Client.Images.InspectImageAsync(imageId)).RepoTags ?? []];

    [Fact]
    public async Task A_fetch_by_digest_ends_tagged_as_the_target_names_it_with_exactly_one_record()
    {
        var image = await _images.PublishAsync("bydigest");
        var name = $"{image.TagName}@{image.Digest}";

        var run = await FetchAsync(name);

        AssertCompleted(run);
        Assert.Equal([image.TagName], await TagsAsync(image.ImageId));
        var record = Assert.Single(await Store.ListAsync());
        Assert.Equal(name, record.Name);
        Assert.Equal(("app1", "main", "c1"), (record.AppUuid, record.ServiceName, record.Commit));
        Assert.Equal(image.ImageId, record.DockerImageId);
        Assert.Equal((11L, 22L, 33L, 44L), (record.LegacyAppId, record.LegacyServiceId, record.LegacyImageId, record.LegacyReleaseId));
        var fetch = run.GetProperty("steps")[0].GetProperty("output");
        Assert.True(fetch.GetProperty("pulled").GetBoolean());

        // Again: nothing pulled, still one row.
        var again = await FetchAsync(name);
        AssertCompleted(again);
        Assert.False(again.GetProperty("steps")[0].GetProperty("output").GetProperty("pulled").GetBoolean());
        Assert.Single(await Store.ListAsync());
    }

    [Fact]
    public async Task A_fetch_by_tag_only_and_one_by_digest_only_are_named_as_written()
    {
        var byTag = await _images.PublishAsync("bytag");
        var byDigest = await _images.PublishAsync("digestonly");

        AssertCompleted(await FetchAsync(byTag.TagName, service: "tagged"));
        AssertCompleted(await FetchAsync(byDigest.DigestName, service: "digested"));

        Assert.Equal([byTag.TagName], await TagsAsync(byTag.ImageId));
        Assert.Empty(await TagsAsync(byDigest.ImageId));
        Assert.Contains(byDigest.DigestName, (await _images.Client.Images.InspectImageAsync(byDigest.ImageId)).RepoDigests);
        Assert.Equal(new[] { byDigest.DigestName, byTag.TagName }.Order(), (await Store.ListAsync()).Select(r => r.Name).Order());
    }

    [Fact]
    public async Task A_digest_the_registry_lacks_fails_with_its_message_leaves_no_row_and_backs_off_naming_the_cause()
    {
        var image = await _images.PublishAsync("lacking");
        var missing = $"{image.Repository}:v1@sha256:{new string('1', 64)}";

        var run = await FetchAsync(missing);

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("PullFailed", run.GetProperty("reason").GetString());
        Assert.Contains("not found", run.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Store.ListAsync());

        var next = await FetchAsync(missing);
        Assert.Equal("Failed", next.GetProperty("status").GetString());
        Assert.Equal("BackedOff", next.GetProperty("reason").GetString());
        Assert.Contains("failed 1 times", next.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Held back, the fetch still says why the last try failed.
        Assert.Contains(run.GetProperty("message").GetString()!, next.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await Store.ListAsync());
    }

    [Fact]
    public async Task A_registry_that_is_down_fails_the_fetch_with_the_reason_and_no_row()
    {
        var name = $"127.0.0.1:{FreeLoopbackPort.Find()}/t/down-{Guid.NewGuid():N}:v1";

        var run = await FetchAsync(name);

        Assert.Equal("PullFailed", run.GetProperty("reason").GetString());
        Assert.Contains("connection refused", run.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Store.ListAsync());
    }

    [Fact]
    public async Task Removing_one_of_two_images_that_share_a_docker_id_leaves_the_other_intact()
    {
        var shared = await _images.PublishAsync("v1", false, _images.Repository("shared-a"), _images.Repository("shared-b"));
        Assert.Equal(shared[0].ImageId, shared[1].ImageId);
        var a = $"{shared[0].TagName}@{shared[0].Digest}";
        var b = $"{shared[1].TagName}@{shared[1].Digest}";
        AssertCompleted(await FetchAsync(a, service: "a"));
        AssertCompleted(await FetchAsync(b, service: "b"));

        var removal = await RemoveAsync(a, service: "a");

        AssertCompleted(removal);

        // The engine drops a repository's digest reference with its last tag, so the digest may already be gone.
        var output = removal.GetProperty("steps")[0].GetProperty("output");
        var handled = output.GetProperty("removed").EnumerateArray().Concat(output.GetProperty("alreadyGone").EnumerateArray()).Select(e => e.GetString());
        Assert.Equal(new[] { shared[0].TagName, shared[0].DigestName }.Order(StringComparer.Ordinal), handled.Order(StringComparer.Ordinal));
        Assert.Equal(shared[0].TagName, output.GetProperty("removed")[0].GetString());
        var left = await _images.Client.Images.InspectImageAsync(shared[1].ImageId);
        Assert.Equal([shared[1].TagName], left.RepoTags);
        Assert.Equal([shared[1].DigestName], left.RepoDigests);
        Assert.Equal([b], (await Store.ListAsync()).Select(r => r.Name));
    }

    [Fact]
    public async Task Removing_release_v1_of_a_service_removes_only_v1s_names()
    {
        var repository = _images.Repository("app");
        var v1 = (await _images.PublishAsync("v1", false, repository))[0];
        var v2 = (await _images.PublishAsync("v2", false, repository))[0];
        var v1Name = $"{v1.TagName}@{v1.Digest}";
        var v2Name = $"{v2.TagName}@{v2.Digest}";
        AssertCompleted(await FetchAsync(v1Name, commit: "release1"));
        AssertCompleted(await FetchAsync(v2Name, commit: "release2"));

        AssertCompleted(await RemoveAsync(v1Name, commit: "release1"));

        await Assert.ThrowsAsync<Docker.DotNet.DockerImageNotFoundException>(() => _images.Client.Images.InspectImageAsync(v1.ImageId));
        Assert.Equal([v2.TagName], await TagsAsync(v2.ImageId));
        var record = Assert.Single(await Store.ListAsync());
        Assert.Equal(("release2", v2Name), (record.Commit, record.Name));
    }

    [Fact]
    public async Task An_image_two_services_use_keeps_its_tag_until_the_last_record_goes()
    {
        var image = await _images.PublishAsync("common");
        var name = $"{image.TagName}@{image.Digest}";
        AssertCompleted(await FetchAsync(name, service: "first"));
        AssertCompleted(await FetchAsync(name, service: "second"));

        var first = await RemoveAsync(name, service: "first");

        AssertCompleted(first);
        var output = first.GetProperty("steps")[0].GetProperty("output");
        Assert.Empty(output.GetProperty("removed").EnumerateArray());
        Assert.Equal(2, output.GetProperty("keptForOthers").GetArrayLength());
        Assert.Equal([image.TagName], await TagsAsync(image.ImageId));
        Assert.Equal(["second"], (await Store.ListAsync()).Select(r => r.ServiceName));

        AssertCompleted(await RemoveAsync(name, service: "second"));
        await Assert.ThrowsAsync<Docker.DotNet.DockerImageNotFoundException>(() => _images.Client.Images.InspectImageAsync(image.ImageId));
        Assert.Empty(await Store.ListAsync());
    }

    [Fact]
    public async Task The_images_api_shows_records_with_their_engine_state()
    {
        var image = await _images.PublishAsync("listed");
        var name = $"{image.TagName}@{image.Digest}";
        AssertCompleted(await FetchAsync(name));

        // Another tag in the same repository keeps the image and its digest when the recorded tag goes behind our back.
        await _images.Client.Images.TagImageAsync(image.ImageId, new Docker.DotNet.Models.ImageTagParameters { RepositoryName = image.Repository, Tag = "keep" });
        await _images.Client.Images.DeleteImageAsync(image.TagName, new Docker.DotNet.Models.ImageDeleteParameters());

        var listed = await _client.GetFromJsonAsync<JsonElement>("/v3/images");

        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(name, entry.GetProperty("name").GetString());
        Assert.True(entry.GetProperty("present").GetBoolean());
        Assert.False(entry.GetProperty("tagged").GetBoolean());
        Assert.True(entry.GetProperty("size").GetInt64() > 0);
    }

    [Fact]
    public async Task An_invalid_image_reference_fails_the_run_as_invalid_naming_it()
    {
        using var response = await _client.PostAsJsonAsync(
            "/v3/workflows/fetch-image/runs?wait=60", new { image = "Upper/Case:v1", appUuid = "app1", serviceName = "main", commit = "c1" });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        // A run refused for its input is the caller's mistake: 400, with the run as its body.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid", run.GetProperty("reason").GetString());
        Assert.Contains("\"Upper/Case:v1\"", run.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
