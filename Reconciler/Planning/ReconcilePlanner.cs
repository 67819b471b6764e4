using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Services;
using Supervisor.Activities.Services.Config;
using Supervisor.Activities.Volumes;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Planning;

/// <summary>
/// Turns a target and what the device holds into a <see cref="ReconcilePlan"/>, in the style of Azure IoT Edge's
/// edgeAgent planner: pure, no I/O, so each plan can be asserted exactly. The strategy is balena's default,
/// download-then-kill: every new image is fetched first, then the old containers are removed (stopped with their
/// grace period first) and the new ones created and started, and only then are unused images removed.
/// </summary>
/// <remarks>
/// The order is deterministic: apps in target order, services in release order (a service after those it depends
/// on), then whatever is no longer in the
/// target in ordinal order of app uuid, service name and commit; image removals in ordinal order of app uuid,
/// service name, commit and image name.
/// </remarks>
public static class ReconcilePlanner
{
    /// <param name="keepVolumes">
    /// Keep the volumes of apps that leave the target (local mode, as balena): otherwise they are removed with the app.
    /// </param>
    public static ReconcilePlan Plan(TargetState target, CurrentState current, bool keepVolumes = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(current);

        List<Supervised> containers = Supervised.From(current.Containers);
        HashSet<ImageKey> recorded = [.. current.Images.Select(ImageKey.Of)];
        List<ReconcileStep> fetches = [];
        List<ReconcileStep> changes = [];
        List<BlockedApp> blocked = [];
        HashSet<ServiceKey> removed = [];

        void Take(string appUuid, AppChanges app)
        {
            // The executor cannot stop half way through an app without leaving it in a state nobody asked for, so
            // a held lock stops the whole app rather than only its lock-guarded steps.
            if (current.LockedApps.Contains(appUuid) && app.Steps.Any(s => s.NeedsLock))
            {
                blocked.Add(new BlockedApp(appUuid, BlockedApp.UpdatesLocked));
                return;
            }

            changes.AddRange(app.Steps);
            removed.UnionWith(app.Removed);
        }

        foreach (TargetApp app in target.Apps.Values)
        {
            if (app.Release is { } release)
            {
                // Fetches are planned even for a locked app: downloading touches no running container.
                fetches.AddRange(release.Services.Values
                    .Where(s => !recorded.Contains(new ImageKey(s.Image.ToString(), app.Uuid, s.Name, release.Commit)))
                    .Select(s => ReconcileSteps.FetchImage(app, release, s)));
            }

            Take(app.Uuid, ChangesFor(app, containers.Where(c => c.Key.AppUuid == app.Uuid), current));
        }

        // An app that left the target loses its containers and, unless volumes are kept, then its volumes.
        HashSet<string> goneApps = [.. containers.Select(c => c.Key.AppUuid).Where(a => !target.Apps.ContainsKey(a))];
        if (!keepVolumes)
        {
            goneApps.UnionWith(current.Volumes.Where(v => v.Labels.ContainsKey(ServiceLabels.Supervised))
                .Select(v => v.Labels.GetValueOrDefault(ServiceLabels.AppUuid)).OfType<string>().Where(a => !target.Apps.ContainsKey(a)));
        }

        foreach (string gone in goneApps.Order(StringComparer.Ordinal))
        {
            AppChanges app = new(null);
            app.RemoveAll(containers.Where(c => c.Key.AppUuid == gone));
            if (!keepVolumes)
            {
                foreach (EngineVolume volume in current.Volumes
                             .Where(v => v.Labels.ContainsKey(ServiceLabels.Supervised) && v.Labels.GetValueOrDefault(ServiceLabels.AppUuid) == gone)
                             .OrderBy(v => v.Name, StringComparer.Ordinal))
                {
                    app.Add(ReconcileSteps.RemoveVolume(gone, volume.Name));
                }
            }

            Take(gone, app);
        }

        // Networks no target app uses go after every service change, once no container of theirs is left.
        HashSet<string> used = [.. target.Apps.Values.SelectMany(a => NetworksOf(a).Select(n => AppNetworks.EngineName(a.Uuid, n.Name)))];
        changes.AddRange(current.Networks
            .Where(n => !used.Contains(n.Name) && n.Labels.TryGetValue(ServiceLabels.AppUuid, out _))
            .Where(n => !blocked.Exists(b => b.AppUuid == n.Labels[ServiceLabels.AppUuid]))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => ReconcileSteps.RemoveNetwork(n.Labels[ServiceLabels.AppUuid], null, n.Name[(n.Labels[ServiceLabels.AppUuid].Length + 1)..])));

        return new ReconcilePlan
        {
            Fetches = fetches,
            ServiceChanges = changes,
            Removals = ImageRemovals(target, current.Images, containers, removed),
            Blocked = blocked,
            Dependencies = [.. target.Apps.Values
                .Where(a => a.Release is not null)
                .SelectMany(a => a.Release!.Services.Values.SelectMany(s => s.DependsOn.Select(d => new ServiceDependency(a.Uuid, s.Name, d))))],
        };
    }

    private static AppChanges ChangesFor(TargetApp app, IEnumerable<Supervised> appContainers, CurrentState current)
    {
        AppChanges changes = new(app.LegacyId);
        List<Supervised> leftOver = [.. appContainers];
        if (app.Release is not { } release)
        {
            // An app with no release should run nothing.
            changes.RemoveAll(leftOver);
            return changes;
        }

        PlanNetworksAndVolumes(app, release, current, changes, leftOver);

        // A container sharing another's network (network_mode: service:NAME) joined that container by id, so it
        // must be recreated whenever the one it joined is: services come in start order, so the peer is decided first.
        HashSet<string> created = new(StringComparer.Ordinal);
        foreach (TargetService service in StartOrder(release))
        {
            List<Supervised> ofService = leftOver.FindAll(c => c.Key.ServiceName == service.Name);
            leftOver.RemoveAll(c => c.Key.ServiceName == service.Name);

            // A container is kept only if it was created from exactly what the release now declares, and from the
            // image the engine now holds under the release's image name; otherwise it is recreated. One of an
            // earlier release that matches is moved to this release, still running (balena's updateMetadata).
            string fingerprint = ServiceConfigFingerprint.Of(service.Image.ToString(), ReconcileSteps.Config(app, service));
            string? imageId = current.ImageIds.GetValueOrDefault(service.Image.TagName ?? service.Image.PullName);
            bool peerRecreated = service.Config.NetworkMode is { } mode
                && mode.StartsWith(ServiceConfig.ServiceNetworkModePrefix, StringComparison.Ordinal)
                && created.Contains(mode[ServiceConfig.ServiceNetworkModePrefix.Length..]);
            bool Matches(Supervised c) => !peerRecreated && c.Fingerprint == fingerprint && (imageId is null || c.ImageId == imageId);

            Supervised? kept = ofService.Find(c => c.Key.Commit == release.Commit && Matches(c));
            Supervised? moved = kept is null
                ? ofService.Where(Matches).OrderByDescending(c => c.Running).ThenBy(c => c.Key.Commit, StringComparer.Ordinal).FirstOrDefault()
                : null;
            foreach (Supervised old in ofService
                         .Where(c => c != kept && c != moved)
                         .OrderBy(c => c.Key.Commit == release.Commit)
                         .ThenBy(c => c.Key.Commit, StringComparer.Ordinal))
            {
                // remove-service stops a running container with the grace period itself: a separate stop-service run
                // first would take and give back the same lock and journal a run for nothing.
                changes.Remove(old, service.StopGracePeriod);
            }

            bool newRelease = ofService.Exists(c => c.Key.Commit != release.Commit);
            bool stoppedThroughApi = current.StoppedByApi.Contains((app.Uuid, service.Name));
            if (moved is not null)
            {
                changes.Add(ReconcileSteps.UpdateServiceRelease(app, release, service, moved.Key.Commit));
                changes.Moved(moved.Key);
                kept = moved;
            }

            if (kept is null)
            {
                created.Add(service.Name);
                changes.Add(ReconcileSteps.CreateService(app, release, service));

                // A new release ends a stop made through the API (balena's documented behaviour).
                if (service.Running && (newRelease || !stoppedThroughApi))
                {
                    changes.Add(ReconcileSteps.StartService(app.Uuid, service.Name, release.Commit));
                }
            }
            else if (service.Running && !kept.Running && (newRelease || !stoppedThroughApi))
            {
                changes.Add(ReconcileSteps.StartService(app.Uuid, service.Name, release.Commit));
            }
            else if (!service.Running && kept.Running)
            {
                changes.Add(ReconcileSteps.StopService(app.Uuid, app.LegacyId, service.Name, release.Commit, service.StopGracePeriod));
            }
        }

        // Services the release no longer has go after the changes to those it keeps.
        changes.RemoveAll(leftOver);
        return changes;
    }

    /// <summary>
    /// The app's networks and volumes, which come before the containers that use them. One whose declared options
    /// changed is made again, which the engine allows only once no container uses it: every container of the app goes
    /// first (balena too recreates the services of a changed network or volume; a volume's data goes with it), and
    /// the services are all created anew. A volume the supervisor did not make (by the engine on the fly, or by an
    /// earlier Supervisor) has no record of its options and is kept as it is.
    /// </summary>
    private static void PlanNetworksAndVolumes(TargetApp app, TargetRelease release, CurrentState current, AppChanges changes, List<Supervised> leftOver)
    {
        List<(string Name, NetworkConfig? Config)> networks = NetworksOf(app);
        List<string> changedNetworks = [.. networks
            .Where(n => current.Networks.FirstOrDefault(c => c.Name == AppNetworks.EngineName(app.Uuid, n.Name)) is { } existing
                && existing.Labels.GetValueOrDefault(ServiceLabels.Config) != AppNetworks.Fingerprint(n.Config))
            .Select(n => n.Name)];
        HashSet<string> volumeNames = [.. current.Volumes.Select(v => v.Name)];
        string EngineVolume(string name) => AppVolumes.Resolve(AppVolumes.EngineName(app.Uuid, app.LegacyId, name), app.Uuid, app.LegacyId, volumeNames);
        List<string> changedVolumes = [.. release.Volumes
            .Where(v => current.Volumes.FirstOrDefault(c => c.Name == EngineVolume(v.Key)) is { } existing
                && existing.Labels.ContainsKey(ServiceLabels.Supervised)
                && existing.Labels.GetValueOrDefault(ServiceLabels.Config) != AppVolumes.Fingerprint(v.Value))
            .Select(v => v.Key)];
        if (changedNetworks.Count > 0 || changedVolumes.Count > 0)
        {
            changes.RemoveAll(leftOver);
            leftOver.Clear();
            changedNetworks.ForEach(name => changes.Add(ReconcileSteps.RemoveNetwork(app.Uuid, app.LegacyId, name)));
            changedVolumes.ForEach(name => changes.Add(ReconcileSteps.RemoveVolume(app.Uuid, app.LegacyId, name)));
        }

        foreach ((string name, NetworkConfig? config) in networks
                     .Where(n => changedNetworks.Contains(n.Name) || !current.Networks.Any(c => c.Name == AppNetworks.EngineName(app.Uuid, n.Name))))
        {
            changes.Add(ReconcileSteps.CreateNetwork(app.Uuid, app.LegacyId, name, config));
        }

        foreach ((string name, VolumeConfig config) in release.Volumes.Where(v => changedVolumes.Contains(v.Key) || !volumeNames.Contains(EngineVolume(v.Key))))
        {
            changes.Add(ReconcileSteps.CreateVolume(app.Uuid, app.LegacyId, name, config));
        }
    }

    /// <summary>
    /// The release's services in release order, except that a service comes after those it depends on
    /// (<c>depends_on</c>, <c>network_mode: service:NAME</c>): the executor runs an app's steps one after another,
    /// so each service is created and started only once its dependencies are (balena's rule). The target reader
    /// refuses cycles, so the order always exists.
    /// </summary>
    public static List<TargetService> StartOrder(TargetRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        List<TargetService> order = [];
        HashSet<string> placed = new(StringComparer.Ordinal);
        void Place(TargetService service)
        {
            if (!placed.Add(service.Name))
            {
                return;
            }

            foreach (string dependency in service.DependsOn)
            {
                if (release.Services.TryGetValue(dependency, out TargetService? first))
                {
                    Place(first);
                }
            }

            order.Add(service);
        }

        foreach (TargetService service in release.Services.Values)
        {
            Place(service);
        }

        return order;
    }

    /// <summary>
    /// A target app's networks, by their names in the release: every one its release declares (balena makes them all),
    /// and its default network when a service joins it without declaring it.
    /// </summary>
    private static List<(string Name, NetworkConfig? Config)> NetworksOf(TargetApp app)
    {
        if (app.Release is not { } release)
        {
            return [];
        }

        List<(string Name, NetworkConfig? Config)> networks = [.. release.Networks.Select(n => (n.Key, (NetworkConfig?)n.Value))];
        string defaultNetwork = AppNetworks.EngineName(app.Uuid, AppNetworks.DefaultName);
        bool joinsDefault = release.Services.Values.Any(s =>
            ReconcileSteps.Config(app, s).NetworkMode == defaultNetwork || s.Config.Networks.Any(n => n.Name == AppNetworks.DefaultName));
        if (joinsDefault && !release.Networks.ContainsKey(AppNetworks.DefaultName))
        {
            networks.Insert(0, (AppNetworks.DefaultName, null));
        }

        return networks;
    }

    /// <summary>
    /// Every image row that no target service needs, by name and by app, service and release: a row of an old
    /// release goes even when the new release names the same image, because removing its tags keeps those another
    /// row needs. A row stays while a container of its release remains after this plan (e.g. in a blocked app).
    /// </summary>
    private static List<ReconcileStep> ImageRemovals(
        TargetState target, IReadOnlyList<ImageRecord> images, List<Supervised> containers, HashSet<ServiceKey> removed)
    {
        HashSet<ImageKey> needed = [];
        foreach (TargetApp app in target.Apps.Values)
        {
            if (app.Release is { } release)
            {
                needed.UnionWith(release.Services.Values.Select(s => new ImageKey(s.Image.ToString(), app.Uuid, s.Name, release.Commit)));
            }
        }

        HashSet<ServiceKey> remaining = [.. containers.Select(c => c.Key).Where(k => !removed.Contains(k))];
        return [.. images
            .Where(r => !needed.Contains(ImageKey.Of(r)))
            .Where(r => !remaining.Contains(new ServiceKey(r.AppUuid, r.ServiceName, r.Commit)))
            .OrderBy(r => r.AppUuid, StringComparer.Ordinal)
            .ThenBy(r => r.ServiceName, StringComparer.Ordinal)
            .ThenBy(r => r.Commit, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Id)
            .Select(ReconcileSteps.RemoveImage)];
    }

    private readonly record struct ServiceKey(string AppUuid, string ServiceName, string Commit);

    private readonly record struct ImageKey(string Name, string AppUuid, string ServiceName, string Commit)
    {
        public static ImageKey Of(ImageRecord record) => new(record.Name, record.AppUuid, record.ServiceName, record.Commit);
    }

    /// <summary>
    /// The containers of one service and release, taken together: the workflows act on all of them at once, so a
    /// duplicate left by a crash needs no step of its own. The fingerprint and image are the newest one's.
    /// </summary>
    private sealed record Supervised(ServiceKey Key, bool Running, string? Fingerprint, string ImageId)
    {
        public static List<Supervised> From(IEnumerable<EngineContainer> containers) =>
        [
            .. containers
                .Select(c => (Key: KeyOf(c), Container: c))
                .Where(c => c.Key is not null)
                .GroupBy(c => c.Key!.Value)
                .Select(g =>
                {
                    EngineContainer newest = g.MaxBy(c => c.Container.Created).Container;
                    return new Supervised(g.Key, g.Any(c => c.Container.Running), newest.Labels.GetValueOrDefault(ServiceLabels.Config), newest.ImageId);
                }),
        ];

        private static ServiceKey? KeyOf(EngineContainer container) =>
            container.Labels.TryGetValue(ServiceLabels.AppUuid, out string? app)
            && container.Labels.TryGetValue(ServiceLabels.ServiceName, out string? service)
            && ServiceContainerName.ReleaseOf(container) is { } commit
                ? new ServiceKey(app, service, commit)
                : null;
    }

    /// <summary>One app's steps, and the containers they remove (whose images may then go too).</summary>
    /// <param name="appId">The app's legacy id; unknown for apps no longer targeted, whose lock folder the lock activities read from their containers' mounts.</param>
    private sealed class AppChanges(long? appId)
    {
        private readonly List<ReconcileStep> steps = [];

        public IReadOnlyList<ReconcileStep> Steps => steps;

        /// <summary>Containers that leave their release: removed, or moved to the target's release.</summary>
        public List<ServiceKey> Removed { get; } = [];

        public void Moved(ServiceKey key) => Removed.Add(key);

        public void Add(ReconcileStep step) => steps.Add(step);

        public void Remove(Supervised container, TimeSpan gracePeriod)
        {
            steps.Add(ReconcileSteps.RemoveService(
                container.Key.AppUuid, appId, container.Key.ServiceName, container.Key.Commit, gracePeriod, container.Running));
            Removed.Add(container.Key);
        }

        /// <summary>Removes services no longer in the target, whose grace period is no longer known: balena's default.</summary>
        public void RemoveAll(IEnumerable<Supervised> containers)
        {
            foreach (Supervised container in containers
                         .OrderBy(c => c.Key.ServiceName, StringComparer.Ordinal)
                         .ThenBy(c => c.Key.Commit, StringComparer.Ordinal))
            {
                Remove(container, ContainerCreateParameters.DefaultStopGracePeriod);
            }
        }
    }
}
