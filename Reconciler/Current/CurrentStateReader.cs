using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Locks;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Current;

/// <summary>
/// Gathers what the planner compares a target with: the supervised containers and the engine's images (one listing each),
/// the image rows (one query), and the apps whose update locks a user holds (asked of
/// <see cref="UpdateLockFiles"/>, so the supervisor's own lock files, held while an API action
/// runs, never count as a user's), plus the services stopped through the API (in memory; a tool
/// process such as <c>supervisor plan</c> has none). It only reads: a pass that finds nothing to
/// do writes nothing.
/// </summary>
public sealed class CurrentStateReader(
    IDockerEngine engine,
    ImageStore images,
    AppLockFolders lockFolders,
    UpdateLockFiles lockFiles,
    IOptions<ServiceOptions> services,
    ApiStoppedServices? stoppedByApi = null)
{
    public async Task<CurrentState> ReadAsync(TargetState? target, CancellationToken cancellationToken = default)
    {
        var containers = await engine.ListContainersAsync(
            ServiceLabels.SupervisedBy(services.Value.Instance), cancellationToken).ConfigureAwait(false);
        var records = await images.ListAsync(cancellationToken).ConfigureAwait(false);
        var imageIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in await engine.ListImagesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var name in image.RepoTags.Concat(image.RepoDigests))
            {
                imageIds[name] = image.Id;
            }
        }

        // An app's locks are in the folder of the target's numeric id, of its uuid, or of whatever
        // its containers mount (an app the target no longer has keeps the folder it was created with).
        var byApp = containers.Where(c => c.Labels.ContainsKey(ServiceLabels.AppUuid)).ToLookup(c => c.Labels[ServiceLabels.AppUuid], StringComparer.Ordinal);
        var apps = (target?.Apps.Values ?? []).Select(app => (app.Uuid, app.LegacyId))
            .Concat(byApp.Select(g => g.Key).Where(uuid => target?.Apps.ContainsKey(uuid) != true).Select(uuid => (Uuid: uuid, LegacyId: (long?)null)));
        var locked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (uuid, legacyId) in apps)
        {
            var keys = lockFolders.KeysOf(uuid, legacyId, byApp[uuid]);
            if (await lockFiles.AnyUserLockAsync(keys.All, cancellationToken).ConfigureAwait(false))
            {
                locked.Add(uuid);
            }
        }

        return new CurrentState
        {
            Containers = containers,
            ImageIds = imageIds,
            Networks = await AppNetworks.ListAsync(engine, services.Value.Instance, appUuid: null, cancellationToken).ConfigureAwait(false),
            Volumes = [.. (await engine.ListVolumesAsync(cancellationToken).ConfigureAwait(false))
                .Where(v => !v.Labels.ContainsKey(ServiceLabels.Supervised) || v.Labels.GetValueOrDefault(ServiceLabels.Instance) == services.Value.Instance)],
            Images = records,
            LockedApps = locked,
            StoppedByApi = stoppedByApi?.Snapshot() ?? new HashSet<(string AppUuid, string ServiceName)>(),
        };
    }
}
