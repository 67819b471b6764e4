using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>
/// Brings an image onto the engine: by digest when the reference has one (the engine then
/// leaves it untagged), else by tag. An image already there is not pulled again. A pull that
/// fails holds further fetches of the same image back for a while, and a fetch during that
/// time ends <c>BackedOff</c> at once.
/// </summary>
[ActivityOutcomes(Done, BackedOff)]
[Description("Pulls an image by digest (by tag when it has none), reporting progress; backs off after failures.")]
public sealed class FetchImage(IDockerEngine engine, ImageFetchBackoff backoff) : ImageActivity<ImageInput, FetchImage.Output>
{
    public const string BackedOff = "BackedOff";

    protected override async Task<ActivityResult> ExecuteAsync(ImageInput input, ImageReference reference, ActivityContext context, CancellationToken cancellationToken)
    {
        var name = reference.ToString();
        if (backoff.HeldUntil(name) is { } until)
        {
            return Outcome(BackedOff, new Output
            {
                Message = $"Fetching {name} failed {backoff.Failures(name)} times, last: {backoff.LastCause(name)}; the next try waits until {until:u}.",
                RetryAt = until,
            });
        }

        try
        {
            var present = await engine.InspectImageAsync(reference.PullName, cancellationToken).ConfigureAwait(false);
            return Completed(new Output { DockerImageId = present.Id, Pulled = false, TotalBytes = present.Size });
        }
        catch (EngineNotFoundException)
        {
            // Not on the engine yet: pull it.
        }

        var last = new PullProgress("Waiting", 0, 0);
        var progress = new SynchronousProgress(p =>
        {
            last = p;
            context.Progress.Report(new { percent = p.Percent, downloadedBytes = p.DownloadedBytes, totalBytes = p.TotalBytes });
        });
        try
        {
            await engine.PullImageAsync(reference.PullName, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (ImagePullFailedException ex)
        {
            backoff.RecordFailure(name, ex.Message);
            return Fail("PullFailed", ex.Message);
        }

        backoff.Clear(name);
        var pulled = await engine.InspectImageAsync(reference.PullName, cancellationToken).ConfigureAwait(false);
        return Completed(new Output { DockerImageId = pulled.Id, Pulled = true, DownloadedBytes = last.DownloadedBytes, TotalBytes = pulled.Size });
    }

    public sealed record Output
    {
        [Description("The engine's id of the image (for the record only; nothing is removed by it).")]
        public string? DockerImageId { get; init; }

        [Description("False when the image was already on the engine.")]
        public bool Pulled { get; init; }

        public long DownloadedBytes { get; init; }

        public long TotalBytes { get; init; }

        [Description("With BackedOff: why, and until when.")]
        public string? Message { get; init; }

        public DateTimeOffset? RetryAt { get; init; }
    }

    private sealed class SynchronousProgress(Action<PullProgress> report) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => report(value);
    }
}
