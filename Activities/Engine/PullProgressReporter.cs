using Docker.DotNet.Models;

namespace Supervisor.Activities.Engine;

/// <summary>
/// Reads the engine's pull messages as they arrive: sums layer sizes into one
/// <see cref="PullProgress"/> and keeps the first error, because the engine reports a failed pull
/// inside an HTTP 200 stream rather than as an error status. Synchronous on purpose:
/// <see cref="Progress{T}"/> posts to the thread pool and may deliver after the pull returned.
/// </summary>
internal sealed class PullProgressReporter(IProgress<PullProgress>? downstream) : IProgress<JSONMessage>
{
    private readonly Dictionary<string, (long Current, long Total)> _layers = new(StringComparer.Ordinal);

    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        if (value.Error is { Message: { Length: > 0 } message })
        {
            Error ??= message;
            return;
        }

        if (string.IsNullOrEmpty(value.ID) || value.Status is null)
        {
            return;
        }

        _layers.TryGetValue(value.ID, out var layer);
        switch (value.Status)
        {
            case "Downloading" when value.Progress is { Total: > 0 } progress:
                layer = (progress.Current ?? 0, progress.Total.Value);
                break;
            case "Download complete" or "Pull complete" or "Already exists":
                layer = (layer.Total, layer.Total);
                break;
            default:
                // "Pulling fs layer", "Waiting", "Extracting", "Verifying Checksum": nothing to count.
                break;
        }

        _layers[value.ID] = layer;
        if (downstream is not null)
        {
            long current = 0, total = 0;
            foreach (var (layerCurrent, layerTotal) in _layers.Values)
            {
                current += layerCurrent;
                total += layerTotal;
            }

            downstream.Report(new PullProgress(value.Status, current, total));
        }
    }
}
