using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Images;
using Supervisor.Bench.Measurements;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Bench.Images;

/// <summary>
/// The shipped <c>fetch-image</c> workflow (fetch by digest, tag, record; journal on disk)
/// against what a plain program does for the same image: pull by digest and tag it, through
/// Docker.DotNet. Each iteration starts with the image off the engine, and the two alternate
/// which goes first, so that they share the machine's noise.
/// </summary>
public static class ImageFetchBench
{
    private const string AppUuid = "bench-app";
    private const string ServiceName = "main";
    private const string Commit = "c0ffee";

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Options.Number(args, "iterations", 15);
        var warmup = Options.Number(args, "warmup", 2);
        var fixtureKey = Options.Text(args, "fixture") ?? "large";
        var environment = BenchEngineEnvironment.FromEnvironment();
        var image = environment.Fixture(fixtureKey);
        var definitionFile = Options.Text(args, "definition") ?? Path.Combine("workflow-definitions", "fetch-image.json");

        using var directory = new BenchDirectory("image-fetch");
        File.Copy(definitionFile, Path.Combine(directory.Workflows, "fetch-image.json"));
        await using var services = await ImageBenchServices.BuildAsync(directory, environment.DockerHost).ConfigureAwait(false);
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(environment.DockerHost)).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        var runner = services.GetRequiredService<WorkflowRunner>();
        var store = services.GetRequiredService<ImageStore>();
        var definition = services.GetRequiredService<WorkflowCatalog>().Find("fetch-image")
            ?? throw new InvalidOperationException($"{definitionFile} did not load as fetch-image.");
        var input = JsonSerializer.SerializeToElement(new { image = image.Reference, appUuid = AppUuid, serviceName = ServiceName, commit = Commit });

        var rawTimes = new List<double>();
        var ourTimes = new List<double>();
        try
        {
            for (var i = 0; i < warmup + iterations; i++)
            {
                var rawFirst = i % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var raw = (turn == 0) == rawFirst;
                    await RemoveAsync(client, image).ConfigureAwait(false);
                    double elapsed;
                    if (raw)
                    {
                        elapsed = await RawFetchAsync(client, image).ConfigureAwait(false);
                    }
                    else
                    {
                        var start = Stopwatch.GetTimestamp();
                        var runId = await runner.CreateRunAsync(definition, input, "bench").ConfigureAwait(false);
                        var run = await runner.ExecuteAsync(runId).ConfigureAwait(false);
                        elapsed = Clock.MillisecondsSince(start);
                        if (run.Status != RunStatus.Completed)
                        {
                            throw new InvalidOperationException($"The fetch-image run ended {run.Status}: {run.Reason} {run.Message}");
                        }

                        if (!await store.DeleteAsync(image.Reference, AppUuid, ServiceName, Commit).ConfigureAwait(false))
                        {
                            throw new InvalidOperationException("The fetch-image run completed without recording the image.");
                        }
                    }

                    var pulled = await client.Images.InspectImageAsync(image.TagName).ConfigureAwait(false);
                    if (pulled.ID != image.ImageId)
                    {
                        throw new InvalidOperationException($"{image.TagName} is {pulled.ID}, not {image.ImageId}.");
                    }

                    if (i >= warmup)
                    {
                        (raw ? rawTimes : ourTimes).Add(elapsed);
                    }
                }
            }
        }
        finally
        {
            await RemoveAsync(client, image).ConfigureAwait(false);
        }

        var rawStats = LatencyStats.Of(rawTimes);
        var ourStats = LatencyStats.Of(ourTimes);
        var ratio = ourStats.Median / rawStats.Median;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{image.Reference}, {iterations} iterations each after {warmup} warm-up, alternating; image removed before each fetch"));
        Console.WriteLine($"Raw pull by digest + tag (Docker.DotNet): {rawStats}");
        Console.WriteLine($"fetch-image workflow (journal on disk):   {ourStats}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio of medians: {ratio:0.000}; median difference {ourStats.Median - rawStats.Median:0.0} ms. Target: ratio at most 1.05: {(ratio <= 1.05 ? "PASS" : "FAIL")}"));
        return 0;
    }

    /// <summary>What a plain program does: pull by digest, then tag; pull errors arrive inside the stream.</summary>
    private static async Task<double> RawFetchAsync(DockerClient client, FixtureImage image)
    {
        string? error = null;
        var start = Stopwatch.GetTimestamp();
        await client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = image.DigestName },
            null!,
            new ErrorWatch(message => error ??= message.Error?.Message)).ConfigureAwait(false);
        await client.Images.TagImageAsync(image.DigestName, new ImageTagParameters { RepositoryName = image.Repository, Tag = image.Tag }).ConfigureAwait(false);
        var elapsed = Clock.MillisecondsSince(start);
        return error is null ? elapsed : throw new InvalidOperationException($"The raw pull of {image.DigestName} failed: {error}");
    }

    /// <summary>Takes the image off the engine by id, with every name it has.</summary>
    private static async Task RemoveAsync(DockerClient client, FixtureImage image)
    {
        try
        {
            await client.Images.DeleteImageAsync(image.ImageId, new ImageDeleteParameters { Force = true }).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            // Not there.
        }
    }

    private sealed class ErrorWatch(Action<JSONMessage> onMessage) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => onMessage(value);
    }
}
