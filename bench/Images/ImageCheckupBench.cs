using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Images;
using Supervisor.Bench.Measurements;
using Supervisor.Workflows.Activities;
using ActivityContext = Supervisor.Workflows.Activities.ActivityContext;

namespace Supervisor.Bench.Images;

/// <summary>
/// <see cref="CheckupImages"/> end to end over many recorded images that all exist on the real
/// engine (nothing to repair, so every row is looked up and none is changed), against the one
/// raw image listing through Docker.DotNet that the checkup cannot avoid.
/// </summary>
public static class ImageCheckupBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var records = Options.Number(args, "records", 500);
        var images = Options.Number(args, "images", 5);
        var runs = Options.Number(args, "runs", 10);
        var warmup = Options.Number(args, "warmup", 3);
        var environment = BenchEngineEnvironment.FromEnvironment();
        var prefix = $"bench.invalid/checkup-{Guid.NewGuid().ToString("N")[..8]}";

        using var directory = new BenchDirectory("image-checkup");
        await using var services = await ImageBenchServices.BuildAsync(directory, environment.DockerHost).ConfigureAwait(false);
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(environment.DockerHost)).Build();
        var store = services.GetRequiredService<ImageStore>();
        var checkup = ActivatorUtilities.CreateInstance<CheckupImages>(services);
        var imageIds = new List<string>();
        try
        {
            // A few small images, each tagged under many names: records names are cheap to add.
            for (var i = 0; i < images; i++)
            {
                using var rootfs = RootFileSystem.Unique();
                await client.Images.CreateImageAsync(
                    new ImagesCreateParameters { FromSrc = "-", Repo = $"{prefix}/img{i}", Tag = "base" }, rootfs, null!, new Progress<JSONMessage>()).ConfigureAwait(false);
                imageIds.Add((await client.Images.InspectImageAsync($"{prefix}/img{i}:base").ConfigureAwait(false)).ID);
            }

            for (var r = 0; r < records; r++)
            {
                var image = r % images;
                var repository = $"{prefix}/img{image}";
                var tag = string.Create(CultureInfo.InvariantCulture, $"r{r}");
                await client.Images.TagImageAsync(imageIds[image], new ImageTagParameters { RepositoryName = repository, Tag = tag }).ConfigureAwait(false);
                await store.RecordAsync(new ImageRecord(0, $"{repository}:{tag}", "bench-app", string.Create(CultureInfo.InvariantCulture, $"svc{r}"), "c0ffee", imageIds[image], default))
                    .ConfigureAwait(false);
            }

            var engineImages = (await client.Images.ListImagesAsync(new ImagesListParameters { Digests = true }).ConfigureAwait(false)).Count;
            var checkups = new List<double>();
            var listings = new List<double>();
            var reads = new List<double>();
            for (var i = 0; i < warmup + runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await client.Images.ListImagesAsync(new ImagesListParameters { Digests = true }).ConfigureAwait(false);
                var listing = Clock.MillisecondsSince(start);

                start = Stopwatch.GetTimestamp();
                await store.ListAsync().ConfigureAwait(false);
                var read = Clock.MillisecondsSince(start);

                var context = new ActivityContext { RunId = $"bench-{i}", WorkflowId = "image-checkup", ActivityId = "checkup", Attempt = 1 };
                start = Stopwatch.GetTimestamp();
                var result = await checkup.ExecuteAsync(System.Text.Json.JsonSerializer.SerializeToElement(new { }), context, CancellationToken.None).ConfigureAwait(false);
                var elapsed = Clock.MillisecondsSince(start);

                var output = result.Output ?? throw new InvalidOperationException($"The checkup failed: {result.Failure}");
                var checkedRows = output.GetProperty("recordsChecked").GetInt32();
                var changes = output.GetProperty("recordsDropped").GetInt32() + output.GetProperty("retagged").GetArrayLength()
                    + output.GetProperty("danglingRemoved").GetArrayLength() + output.GetProperty("failures").GetArrayLength();
                if (checkedRows != records || changes != 0)
                {
                    throw new InvalidOperationException($"The checkup was expected to check {records} rows and change nothing; it answered {output}.");
                }

                if (i >= warmup)
                {
                    checkups.Add(elapsed);
                    listings.Add(listing);
                    reads.Add(read);
                }
            }

            var ours = LatencyStats.Of(checkups);
            var raw = LatencyStats.Of(listings);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{records} recorded names over {images} images; the engine lists {engineImages} images; {runs} runs after {warmup} warm-up"));
            Console.WriteLine($"Raw ListImagesAsync (Docker.DotNet): {raw}");
            Console.WriteLine($"(diagnostic) ImageStore.ListAsync:  {LatencyStats.Of(reads)}");
            Console.WriteLine($"CheckupImages, end to end:          {ours}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ratio of medians: {ours.Median / raw.Median:0.00}. Target: median under 1000 ms: {(ours.Median < 1000 ? "PASS" : "FAIL")}"));
            return 0;
        }
        finally
        {
            foreach (var id in imageIds)
            {
                try
                {
                    await client.Images.DeleteImageAsync(id, new ImageDeleteParameters { Force = true }).ConfigureAwait(false);
                }
                catch (DockerImageNotFoundException)
                {
                    // Already gone.
                }
            }
        }
    }
}
