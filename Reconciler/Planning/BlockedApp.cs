namespace Supervisor.Reconciler.Planning;

/// <summary>An app the plan leaves alone this time, and why; the reconciler tries again on its next pass.</summary>
public sealed record BlockedApp(string AppUuid, string Reason)
{
    /// <summary>A user holds the app's update lock and the app's changes would stop or remove a running container.</summary>
    public const string UpdatesLocked = "updates locked";
}
