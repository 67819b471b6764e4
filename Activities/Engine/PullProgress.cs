namespace Supervisor.Activities.Engine;

/// <summary>
/// Progress of one pull, summed over its layers. <see cref="TotalBytes"/> grows as the engine
/// learns of more layers, so the percentage is an estimate until every layer has reported.
/// </summary>
public sealed record PullProgress(string Status, long DownloadedBytes, long TotalBytes)
{
    /// <summary>0–100, or 0 until a layer reports its size.</summary>
    public int Percent => TotalBytes <= 0 ? 0 : (int)Math.Min(100, DownloadedBytes * 100 / TotalBytes);
}
