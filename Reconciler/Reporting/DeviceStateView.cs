using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Reporting;

/// <summary>
/// What the device runs compared with its target, in the terms the state endpoints and the cloud report speak:
/// per app its update status and services, every supervised container and every image. <see cref="Build"/> does no
/// I/O (the caller gathers the parts, see <see cref="DeviceStateReader"/>), so each state can be tested with
/// hand-built values.
/// </summary>
/// <param name="Applying">
/// An apply is queued or running, or a target no pass has planned yet differs from the device (balena's
/// <c>appState</c> <c>applying</c>, which balena sets the moment it accepts a target).
/// </param>
/// <param name="Apps">The target's apps, in target order.</param>
/// <param name="Containers">Every supervised container, apps in or out of the target.</param>
/// <param name="Images">Recorded images, then the target's images not recorded yet.</param>
public sealed record DeviceStateView(
    bool Applying,
    IReadOnlyList<AppStateView> Apps,
    IReadOnlyList<ContainerStateView> Containers,
    IReadOnlyList<ImageStateView> Images)
{
    public const string DownloadingStatus = "Downloading";
    public const string DownloadedStatus = "Downloaded";

    /// <summary>The mean progress of the images downloading, as balena computes it; null when none is.</summary>
    public int? OverallDownloadProgress
    {
        get
        {
            var downloading = Images.Select(i => i.DownloadProgress).OfType<int>().ToList();
            return downloading.Count == 0 ? null : (int)Math.Round(downloading.Average());
        }
    }

    /// <param name="targetPending">
    /// The target was stored after the last plan (see <see cref="ApplySnapshot.PlannedRevision"/>): the loop has
    /// not queued its apply yet. If the device differs from it, the view says applying already, as the next pass
    /// will: a client that polls right after posting a target must never read "applied" for the old one.
    /// </param>
    /// <param name="keepVolumes">The target is local: the volumes of apps it drops are kept, so they leave nothing to do.</param>
    public static DeviceStateView Build(
        TargetState? target, CurrentState current, ApplySnapshot apply, IReadOnlyList<ImageDownload> downloads, bool targetPending = false, bool keepVolumes = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(downloads);

        // The same test the pass makes: it queues an apply exactly when the plan has a step.
        if (targetPending && target is not null && !apply.Applying && !ReconcilePlanner.Plan(target, current, keepVolumes).IsEmpty)
        {
            apply = apply with { Applying = true };
        }

        var records = current.Images
            .GroupBy(r => (r.AppUuid, r.ServiceName, r.Commit))
            .ToDictionary(g => g.Key, g => g.First());
        var progress = downloads
            .GroupBy(d => (d.AppUuid, d.ServiceName, d.Commit))
            .ToDictionary(g => g.Key, g => g.Last());
        var supervised = current.Containers.Select(Labelled.From).OfType<Labelled>().ToList();
        var apps = (target?.Apps.Values ?? []).ToList();

        var appViews = apps.Select(app => AppView(app, supervised.FindAll(c => c.AppUuid == app.Uuid), records, progress, current, apply)).ToList();

        var containers = supervised.Select(c =>
        {
            var legacy = LegacyIds.Of(apps, records, c.AppUuid, c.ServiceName, c.Commit);
            return new ContainerStateView(
                c.Container.Id, c.AppUuid, c.ServiceName, c.Commit, Status(c.Container), c.Container.ImageId, c.Container.Created,
                legacy.AppId, legacy.ServiceId, legacy.ImageId, legacy.ReleaseId);
        }).ToList();

        var images = current.Images.Select(r => new ImageStateView(
            r.Name, r.AppUuid, r.ServiceName, r.Commit, r.DockerImageId, DownloadedStatus, null,
            r.LegacyAppId, r.LegacyServiceId, r.LegacyImageId, r.LegacyReleaseId)).ToList();
        foreach (var app in apps)
        {
            if (app.Release is not { } release)
            {
                continue;
            }

            foreach (var service in release.Services.Values.Where(s => !records.ContainsKey((app.Uuid, s.Name, release.Commit))))
            {
                images.Add(new ImageStateView(
                    service.Image.ToString(), app.Uuid, service.Name, release.Commit, null, DownloadingStatus,
                    progress.GetValueOrDefault((app.Uuid, service.Name, release.Commit))?.Percent ?? 0,
                    app.LegacyId, service.LegacyId, service.LegacyImageId, release.LegacyId));
            }
        }

        return new DeviceStateView(apply.Applying, appViews, containers, images);
    }

    /// <summary>
    /// The engine's container state in balena's words: running is <c>Running</c>, created (never started) is
    /// <c>Installed</c>, dead is <c>Dead</c>; any other state (exited, paused, restarting, removing) as the engine says it.
    /// </summary>
    public static string Status(EngineContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.Running ? "Running" : container.State switch
        {
            "created" => "Installed",
            "dead" => "Dead",
            _ => container.State,
        };
    }

    private static AppStateView AppView(
        TargetApp app,
        List<Labelled> appContainers,
        Dictionary<(string, string, string), ImageRecord> records,
        Dictionary<(string, string, string), ImageDownload> progress,
        CurrentState current,
        ApplySnapshot apply)
    {
        var blocked = apply.Blocked.FirstOrDefault(b => b.AppUuid == app.Uuid)?.Reason;
        var services = new List<ServiceStateView>();
        var settled = true;
        var downloading = false;

        if (app.Release is { } release)
        {
            foreach (var service in release.Services.Values)
            {
                var key = (app.Uuid, service.Name, release.Commit);
                var ofService = appContainers.FindAll(c => c.ServiceName == service.Name);
                var own = ofService.Where(c => c.Commit == release.Commit).MaxBy(c => c.Container.Created);
                var recorded = records.TryGetValue(key, out var record);
                downloading |= !recorded;

                // A service stopped through the API stays stopped by the user's wish: that is its target too.
                var wantsRunning = service.Running && !current.StoppedByApi.Contains((app.Uuid, service.Name));
                settled &= own is not null && ofService.Count == 1 && own.Container.Running == wantsRunning;

                // Until the release's container exists, an older release's container is what runs the service.
                var shown = own ?? (recorded ? ofService.OrderByDescending(c => c.Container.Running).ThenByDescending(c => c.Container.Created).FirstOrDefault() : null);
                var legacy = shown is null || shown.Commit == release.Commit
                    ? new LegacyIds(app.LegacyId, service.LegacyId, service.LegacyImageId, release.LegacyId)
                    : LegacyIds.Of([app], records, app.Uuid, service.Name, shown.Commit);
                services.Add(new ServiceStateView(
                    service.Name,
                    shown is not null ? Status(shown.Container) : recorded ? DownloadedStatus : DownloadingStatus,
                    service.Image.ToString(),
                    shown?.Commit ?? release.Commit,
                    shown is null && !recorded ? progress.GetValueOrDefault(key)?.Percent ?? 0 : null,
                    shown?.Container.Id,
                    shown?.Container.ImageId ?? record?.DockerImageId,
                    shown?.Container.Created,
                    service.Environment,
                    legacy.ServiceId,
                    legacy.ImageId,
                    legacy.ReleaseId));
            }

            // Containers of services the release no longer has are still to be removed.
            settled &= appContainers.TrueForAll(c => release.Services.ContainsKey(c.ServiceName));
        }
        else
        {
            settled = appContainers.Count == 0;
        }

        var status = settled ? UpdateStatus.Done
            : apply.LastError is not null && !apply.Applying && blocked is null ? UpdateStatus.Aborted
            : downloading ? UpdateStatus.Downloading
            : apply.Applying && blocked is null ? UpdateStatus.ApplyingChanges
            : UpdateStatus.Downloaded;

        var commit = settled && app.Release is not null
            ? app.Release.Commit
            : appContainers.OrderByDescending(c => c.Container.Running).ThenByDescending(c => c.Container.Created).FirstOrDefault()?.Commit;

        var error = status == UpdateStatus.Aborted
            ? apply.FailedApps.FirstOrDefault(f => f.AppUuid == app.Uuid)?.Message ?? apply.LastError
            : null;

        return new AppStateView(app.Uuid, app.Name, app.LegacyId, commit, app.Release?.Commit, app.Release?.LegacyId, status, blocked, error, services);
    }

    /// <summary>A container with the supervisor's app and service labels, and the release it runs; others are not the supervisor's.</summary>
    private sealed record Labelled(EngineContainer Container, string AppUuid, string ServiceName, string Commit)
    {
        public static Labelled? From(EngineContainer container) =>
            container.Labels.TryGetValue(ServiceLabels.AppUuid, out var app)
            && container.Labels.TryGetValue(ServiceLabels.ServiceName, out var service)
            && ServiceContainerName.ReleaseOf(container) is { } commit
                ? new Labelled(container, app, service, commit)
                : null;
    }

    /// <summary>The numeric ids of a service of a release: from the target for its release, else from the image row.</summary>
    private sealed record LegacyIds(long? AppId, long? ServiceId, long? ImageId, long? ReleaseId)
    {
        public static LegacyIds Of(IEnumerable<TargetApp> apps, Dictionary<(string, string, string), ImageRecord> records, string appUuid, string serviceName, string commit)
        {
            var app = apps.FirstOrDefault(a => a.Uuid == appUuid);
            if (app?.Release is { } release && release.Commit == commit && release.Services.TryGetValue(serviceName, out var service))
            {
                return new LegacyIds(app.LegacyId, service.LegacyId, service.LegacyImageId, release.LegacyId);
            }

            return records.TryGetValue((appUuid, serviceName, commit), out var record)
                ? new LegacyIds(record.LegacyAppId ?? app?.LegacyId, record.LegacyServiceId, record.LegacyImageId, record.LegacyReleaseId)
                : new LegacyIds(app?.LegacyId, null, null, null);
        }
    }
}
