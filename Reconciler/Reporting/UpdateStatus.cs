namespace Supervisor.Reconciler.Reporting;

/// <summary>
/// An app's update status in balena's words (the cloud report's <c>update_status</c> and the API's
/// <c>updateStatus</c>). When several hold, the first of aborted, downloading, downloaded, applying changes and done
/// wins, as in balena. A held update lock has no value of its own there: the app is <see cref="Downloaded"/> (its
/// update waits) and <see cref="AppStateView.BlockedReason"/> says why.
/// </summary>
public static class UpdateStatus
{
    /// <summary>The app's containers are its target release's, as the target wants them.</summary>
    public const string Done = "done";

    /// <summary>An image of the target release is not on the device yet.</summary>
    public const string Downloading = "downloading";

    /// <summary>Every image is on the device, and the update waits: for the next apply, or for a user's update lock.</summary>
    public const string Downloaded = "downloaded";

    /// <summary>Every image is on the device and an apply is changing the app's containers.</summary>
    public const string ApplyingChanges = "applying changes";

    /// <summary>The last apply failed before the app reached its target, and none is running.</summary>
    public const string Aborted = "aborted";
}
