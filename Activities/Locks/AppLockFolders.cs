using System.Globalization;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;

namespace Supervisor.Activities.Locks;

/// <summary>
/// Resolves which lock folders are an app's, whichever id a caller named it by. balena names an
/// app's lock folder by its numeric id, this supervisor by the uuid when the target gives no id, and
/// a container keeps the folder it was created with: so a workflow that names the app by uuid must
/// still find the lock a user took in <c>LockRoot/&lt;numeric id&gt;/&lt;service&gt;</c>. The
/// folder the supervisor locks is, in order: the target's numeric id for the app, the numeric id
/// the caller gave, the folder its containers mount at <c>/tmp/balena</c> (for an app the target no
/// longer has), the uuid. Users' locks count in every one of them.
/// </summary>
public sealed class AppLockFolders(ITargetedApps targets, IDockerEngine engine, IOptions<ServiceOptions> options)
{
    /// <summary>Where a service's lock folder is mounted; <c>/tmp/resin</c> is the same folder again.</summary>
    public const string MountPoint = "/tmp/balena";

    /// <summary>The same folder again at its legacy (resin) name, for services written for it.</summary>
    public const string LegacyMountPoint = "/tmp/resin";

    /// <summary>
    /// The app's lock folders for an activity, or why the inputs name no one app: a numeric id that
    /// the target gives another app (or that differs from the target's id for this uuid) would
    /// check one app's locks and act on another's services.
    /// </summary>
    public async Task<(AppLockKeys? Keys, string? Error)> ResolveAsync(string appUuid, long? appId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(appUuid))
        {
            return (null, "the app's uuid (appUuid) is empty: give the uuid of the app whose locks to take.");
        }

        var targeted = await targets.ListAsync(cancellationToken).ConfigureAwait(false);
        var app = targeted.FirstOrDefault(a => a.Uuid == appUuid);
        if (appId is { } given)
        {
            if (targeted.FirstOrDefault(a => a.LegacyId == given && a.Uuid != appUuid) is { } other)
            {
                return (null, $"App id {given} names app {other.Uuid} in the target, not {appUuid}. Give the app's own id, or only its uuid.");
            }

            if (app?.LegacyId is { } known && known != given)
            {
                return (null, $"App id {given} does not name app {appUuid}: the target gives that app the id {known}. Give the app's own id, or only its uuid.");
            }
        }

        var id = app?.LegacyId ?? appId;
        // The engine is asked only when no id names the app: the common refusal reads no listing.
        var containers = id is null
            ? await ServiceContainers.FindAppAsync(engine, appUuid, cancellationToken).ConfigureAwait(false)
            : [];
        return (KeysOf(appUuid, id, containers), null);
    }

    /// <summary>The app's lock folders from what is already known: its numeric id (if any) and its containers.</summary>
    public AppLockKeys KeysOf(string appUuid, long? appId, IEnumerable<EngineContainer> containers)
    {
        var keys = new List<string>();
        if (appId is { } id)
        {
            keys.Add(id.ToString(CultureInfo.InvariantCulture));
        }

        keys.AddRange(containers.Select(MountedKey).OfType<string>());
        keys.Add(appUuid);
        var all = keys.Distinct(StringComparer.Ordinal).ToList();
        return new AppLockKeys(appUuid, all[0], all);
    }

    /// <summary>
    /// The app folder a container mounts at <see cref="MountPoint"/>, when that is
    /// <c>LockRoot/APP/SERVICE</c>; any other source is not a lock folder the supervisor may touch.
    /// </summary>
    private string? MountedKey(EngineContainer container)
    {
        if (!container.Mounts.TryGetValue(MountPoint, out var source) || string.IsNullOrEmpty(source))
        {
            return null;
        }

        var relative = Path.GetRelativePath(Path.GetFullPath(options.Value.LockRoot), Path.GetFullPath(source));
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Length == 2 && !Path.IsPathRooted(relative) && parts.All(p => p.Length > 0 && p != "." && p != "..") ? parts[0] : null;
    }
}
