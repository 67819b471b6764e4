using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Activities.Images;

/// <summary>
/// The image checkup called for real: the activity over a migrated SQLite database of the test's
/// own and the real test engine. Each test makes the drift itself, behind the supervisor's back,
/// and checks the repair.
/// </summary>
/// <remarks>
/// The checkup removes every nameless, unrecorded image on the engine, not only this test's; so
/// assertions about removals are made on this test's own images, and an engine that already had
/// nameless images of others is allowed for.
/// </remarks>
public sealed class CheckupImagesTests : IAsyncLifetime
{
    private const string AppUuid = "app-checkup";
    private const string Commit = "c0ffee";

    private readonly TestImageFactory _images = new("checkup");
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-checkup-").FullName;

    // Nameless images this test made: the factory cleans up by name only, so these go by id.
    private readonly List<string> _namelessIds = [];
    private ServiceProvider _services = null!;

    private ImageStore Store => _services.GetRequiredService<ImageStore>();

    private IDockerEngine Engine => _services.GetRequiredService<IDockerEngine>();

    private DockerClient Raw => _images.Client;

    public async Task InitializeAsync()
    {
        var dockerHost = _images.Environment.DockerHost;
        _services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new SupervisorDatabase(Path.Combine(_root, "supervisor.db")))
            .AddJournalMigrations()
            .AddSingleton(ImageMigrations.Initial)
            .AddSingleton<DatabaseMigrator>()
            .AddSingleton<ImageStore>()
            .AddSingleton<IDockerEngine>(_ => new DockerEngine(new DockerEngineOptions { DockerHost = dockerHost }, null, NullLogger<DockerEngine>.Instance))
            .AddTransient<CheckupImages>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_root, recursive: true);
            foreach (var id in _namelessIds)
            {
                await RemoveByIdIfPresentAsync(id);
            }
        }
        finally
        {
            await _images.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_row_whose_image_is_gone_is_dropped_and_a_row_whose_image_is_present_stays()
    {
        var gone = $"{_images.Repository("gone")}:v1";
        var present = $"{_images.Repository("present")}:v1";
        var goneId = await _images.ImportAsync(_images.Repository("gone"), "v1");
        var presentId = await _images.ImportAsync(_images.Repository("present"), "v1");
        await RecordAsync(gone, "gone", goneId);
        await RecordAsync(present, "present", presentId);
        await Raw.Images.DeleteImageAsync(gone, new ImageDeleteParameters());

        var result = await RunCheckupAsync();

        Assert.Equal(2, result.RecordsChecked);
        Assert.Equal(1, result.RecordsDropped);
        Assert.Empty(result.Retagged);
        Assert.Empty(result.Failures);
        var rows = await Store.ListAsync();
        Assert.Equal([present], rows.Select(r => r.Name));
        Assert.Equal([present], (await Raw.Images.InspectImageAsync(present)).RepoTags);
    }

    [Fact]
    public async Task A_recorded_image_whose_tag_was_removed_is_tagged_again_from_its_digest()
    {
        var image = await _images.PublishAsync("retag");
        await Engine.PullImageAsync(image.DigestName);
        await Engine.TagImageAsync(image.DigestName, image.Repository, image.Tag);
        // A second tag of the same repository, which the supervisor does not record: without it the
        // engine would drop the repository's digest reference together with its last tag.
        var other = $"{image.Repository}:other";
        await Engine.TagImageAsync(image.DigestName, image.Repository, "other");
        var name = $"{image.TagName}@{image.Digest}";
        await RecordAsync(name, "main", image.ImageId);
        await Raw.Images.DeleteImageAsync(image.TagName, new ImageDeleteParameters());
        var before = await Raw.Images.InspectImageAsync(image.ImageId);
        Assert.Equal([other], before.RepoTags);
        Assert.Contains(image.DigestName, before.RepoDigests);

        var result = await RunCheckupAsync();

        Assert.Equal([image.TagName], result.Retagged);
        Assert.Equal(1, result.RecordsChecked);
        Assert.Equal(0, result.RecordsDropped);
        Assert.Empty(result.Failures);
        var after = await Raw.Images.InspectImageAsync(image.TagName);
        Assert.Equal(image.ImageId, after.ID);
        Assert.Equal(new[] { image.TagName, other }.Order(), after.RepoTags.Order());
        Assert.Contains(image.DigestName, after.RepoDigests);
        Assert.Equal([name], (await Store.ListAsync()).Select(r => r.Name));
    }

    [Fact]
    public async Task A_recorded_tag_moved_to_another_image_is_put_back_on_the_recorded_digest()
    {
        var image = await _images.PublishAsync("moved-tag");
        await Engine.PullImageAsync(image.DigestName);
        await Engine.TagImageAsync(image.DigestName, image.Repository, image.Tag);
        var name = $"{image.TagName}@{image.Digest}";
        await RecordAsync(name, "main", image.ImageId);
        // Another image takes the recorded tag (as a manual pull or import of the same name would).
        var intruderId = await _images.ImportAsync(image.Repository, image.Tag);
        var before = await Raw.Images.InspectImageAsync(image.ImageId);
        Assert.Empty(before.RepoTags ?? []);
        Assert.Contains(image.DigestName, before.RepoDigests);

        var result = await RunCheckupAsync();

        Assert.Empty(result.Failures);
        Assert.Equal([image.TagName], result.Retagged);
        Assert.Equal(image.ImageId, (await Raw.Images.InspectImageAsync(image.TagName)).ID);
        Assert.Equal(intruderId, (await Raw.Images.InspectImageAsync(intruderId)).ID);
    }

    [Fact]
    public async Task A_nameless_image_no_row_records_is_removed_and_one_a_row_records_is_kept()
    {
        // Importing another image under a name leaves the image that had it with no name at all.
        var unrecordedRepository = _images.Repository("dangling");
        var unrecordedId = await _images.ImportAsync(unrecordedRepository, "v1");
        _namelessIds.Add(unrecordedId);
        await _images.ImportAsync(unrecordedRepository, "v1");

        var recordedRepository = _images.Repository("moved");
        var recordedId = await _images.ImportAsync(recordedRepository, "v1");
        _namelessIds.Add(recordedId);
        await RecordAsync($"{recordedRepository}:v1", "moved", recordedId);
        var newerId = await _images.ImportAsync(recordedRepository, "v1");

        var listed = await Raw.Images.ListImagesAsync(new ImagesListParameters { All = true, Digests = true });
        foreach (var id in new[] { unrecordedId, recordedId })
        {
            var nameless = Assert.Single(listed, i => i.ID == id);
            Assert.All(nameless.RepoTags ?? [], t => Assert.Equal("<none>:<none>", t));
            Assert.All(nameless.RepoDigests ?? [], d => Assert.Equal("<none>@<none>", d));
        }

        var result = await RunCheckupAsync();

        Assert.Contains(unrecordedId, result.DanglingRemoved);
        Assert.DoesNotContain(recordedId, result.DanglingRemoved);
        Assert.Empty(result.Failures);
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => Raw.Images.InspectImageAsync(unrecordedId));
        Assert.Equal(recordedId, (await Raw.Images.InspectImageAsync(recordedId)).ID);
        Assert.Equal(newerId, (await Raw.Images.InspectImageAsync($"{recordedRepository}:v1")).ID);
        Assert.Single(await Store.ListAsync());
    }

    [Fact]
    public async Task Images_the_supervisor_does_not_record_are_never_touched()
    {
        var recorded = $"{_images.Repository("recorded")}:v1";
        var recordedId = await _images.ImportAsync(_images.Repository("recorded"), "v1");
        await RecordAsync(recorded, "recorded", recordedId);
        // The recorded image under a second name nobody recorded, and an image recorded nowhere.
        var alias = $"{_images.Repository("alias")}:v1";
        await Raw.Images.TagImageAsync(recordedId, new ImageTagParameters { RepositoryName = _images.Repository("alias"), Tag = "v1" });
        var foreign = $"{_images.Repository("foreign")}:v1";
        var foreignId = await _images.ImportAsync(_images.Repository("foreign"), "v1");
        var before = await OwnImagesAsync();

        var result = await RunCheckupAsync();

        Assert.Equal(0, result.RecordsDropped);
        Assert.Empty(result.Retagged);
        Assert.Empty(result.Failures);
        Assert.DoesNotContain(foreignId, result.DanglingRemoved);
        Assert.DoesNotContain(recordedId, result.DanglingRemoved);
        Assert.Equal(before, await OwnImagesAsync());
        Assert.Equal([foreign], (await Raw.Images.InspectImageAsync(foreignId)).RepoTags);
        Assert.Equal(new[] { alias, recorded }.Order(), (await Raw.Images.InspectImageAsync(recordedId)).RepoTags.Order());
    }

    [Fact]
    public async Task A_checkup_with_nothing_to_repair_changes_nothing()
    {
        // Published first: publishing takes everything under the factory's prefix off the engine.
        var published = await _images.PublishAsync("second");
        var first = $"{_images.Repository("first")}:v1";
        var firstId = await _images.ImportAsync(_images.Repository("first"), "v1");
        await Engine.PullImageAsync(published.DigestName);
        await Engine.TagImageAsync(published.DigestName, published.Repository, published.Tag);
        await RecordAsync(first, "first", firstId);
        await RecordAsync($"{published.TagName}@{published.Digest}", "second", published.ImageId);
        var rowsBefore = await Store.ListAsync();
        var imagesBefore = await OwnImagesAsync();

        var result = await RunCheckupAsync();

        Assert.Equal("Done", result.Outcome);
        Assert.Equal(2, result.RecordsChecked);
        Assert.Equal(0, result.RecordsDropped);
        Assert.Empty(result.Retagged);
        Assert.Empty(result.Failures);
        // Zero on an engine of its own. On the shared one, other tests' nameless images are theirs to lose, including
        // those that become nameless while this checkup runs (a snapshot taken before it cannot list them); this
        // test's own, named and recorded, must not be among them.
        Assert.DoesNotContain(firstId, result.DanglingRemoved);
        Assert.DoesNotContain(published.ImageId, result.DanglingRemoved);
        Assert.Equal(rowsBefore, await Store.ListAsync());
        Assert.Equal(imagesBefore, await OwnImagesAsync());
    }

    private Task<ImageRecord> RecordAsync(string name, string service, string imageId) =>
        Store.RecordAsync(new ImageRecord(0, name, AppUuid, service, Commit, imageId, default));

    private async Task<CheckupResult> RunCheckupAsync()
    {
        var activity = _services.GetRequiredService<CheckupImages>();
        var context = new ActivityContext { RunId = Guid.NewGuid().ToString("N"), WorkflowId = "image-checkup", ActivityId = "checkup", Attempt = 1 };
        var result = await ((IWorkflowActivity)activity).ExecuteAsync(JsonSerializer.SerializeToElement(new { }), context, CancellationToken.None);
        Assert.Null(result.Failure);
        var output = Assert.NotNull(result.Output);
        return new CheckupResult(
            result.Outcome!,
            output.GetProperty("recordsChecked").GetInt32(),
            output.GetProperty("recordsDropped").GetInt32(),
            Strings(output.GetProperty("retagged")),
            Strings(output.GetProperty("danglingRemoved")),
            Strings(output.GetProperty("failures")));

        static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>This test's images as id → sorted names, as a comparable string.</summary>
    private async Task<string> OwnImagesAsync()
    {
        var listed = await Raw.Images.ListImagesAsync(new ImagesListParameters { All = true, Digests = true });
        var lines = listed
            .Select(i => (i.ID, Names: (i.RepoTags ?? []).Concat(i.RepoDigests ?? []).Where(n => n.StartsWith(_images.Prefix, StringComparison.Ordinal)).Order().ToList()))
            .Where(i => i.Names.Count > 0 || _namelessIds.Contains(i.ID))
            .Select(i => $"{i.ID} {string.Join(',', i.Names)}")
            .Order();
        return string.Join('\n', lines);
    }

    private async Task RemoveByIdIfPresentAsync(string id)
    {
        try
        {
            await Raw.Images.DeleteImageAsync(id, new ImageDeleteParameters { Force = true });
        }
        catch (DockerImageNotFoundException)
        {
            // Removed by the checkup, as it should be.
        }
    }

    private sealed record CheckupResult(string Outcome, int RecordsChecked, int RecordsDropped, string[] Retagged, string[] DanglingRemoved, string[] Failures);
}
