namespace Supervisor.Reconciler.Apply;

/// <summary>
/// One image an apply is downloading. Its progress is the run's (see <c>RunProgressBoard</c>):
/// the run is found from <paramref name="JobId"/> once the job has started it.
/// </summary>
public sealed record FetchInProgress(string AppUuid, string ServiceName, string Commit, string Image, string JobId);
