using System.Globalization;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Host.Api.V2;

/// <summary>balena's legacy per-app state, keyed by numeric app and image ids.</summary>
public static class LegacyApplicationState
{
    /// <summary>
    /// <c>{commit, local: {appId: {services: {imageId: {status, releaseId, download_progress}}}}}</c> for the app with
    /// that numeric id, or null when no app of the target has it. Services without a numeric image id are left out:
    /// this shape has no other key for them.
    /// </summary>
    [Obsolete("legacy support: numeric app and image ids, kept only for GET /v2/applications/:appId/state; use the app uuid and service names")]
    public static object? Of(DeviceStateView view, long appId)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Apps.FirstOrDefault(a => a.LegacyAppId == appId) is not { } app)
        {
            return null;
        }

        var services = app.Services
            .Where(s => s.LegacyImageId is not null)
            .ToDictionary(
                s => s.LegacyImageId!.Value.ToString(CultureInfo.InvariantCulture),
                s => new { status = s.Status, releaseId = s.LegacyReleaseId, download_progress = s.DownloadProgress },
                StringComparer.Ordinal);
        return new
        {
            commit = app.Commit,
            local = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [appId.ToString(CultureInfo.InvariantCulture)] = new { services },
            },
        };
    }
}
