namespace Supervisor.Reconciler.Reporting;

/// <summary>How far the download of one service's image for one release has come.</summary>
/// <param name="Percent">0–100; 0 until the engine reports a layer's size.</param>
public sealed record ImageDownload(
    string AppUuid, string ServiceName, string Commit, string Image, int Percent, long? DownloadedBytes, long? TotalBytes);
