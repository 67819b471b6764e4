using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Services;

namespace Supervisor.Activities.TargetState;

/// <summary>
/// Gathers what the planner compares a target with: the supervised containers (one listing),
/// the image rows (one query), and the apps whose update locks a user holds (lock files under
/// <c>Supervisor:LockRoot</c>), plus the services stopped through the API (in memory; a tool
/// process such as <c>supervisor plan</c> has none). It only reads: a pass that finds nothing to
/// do writes nothing.
/// </summary>
public sealed class CurrentStateReader(IDockerEngine engine, ImageStore images, IOptions<ServiceOptions> services, ApiStoppedServices? stoppedByApi = null)
{
    private static readonly string[] LockFiles = ["updates.lock", "resin-updates.lock"];

    public async Task<CurrentState> ReadAsync(TargetState? target, CancellationToken cancellationToken = default)
    {
        var containers = await engine.ListContainersAsync(
            new Dictionary<string, string?> { [ServiceLabels.Supervised] = "true", [ServiceLabels.Instance] = services.Value.Instance }, cancellationToken).ConfigureAwait(false);
        var records = await images.ListAsync(cancellationToken).ConfigureAwait(false);

        // Lock folders are named by the legacy numeric app id when the target gives one (as
        // balena names them), else by the app uuid, and hold one folder per service.
        var locked = new HashSet<string>(StringComparer.Ordinal);
        var folders = (target?.Apps.Values ?? []).Select(app => (app.Uuid, Folder: app.LegacyId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? app.Uuid))
            .Concat(containers.Select(c => c.Labels.GetValueOrDefault(ServiceLabels.AppUuid)).OfType<string>().Select(uuid => (Uuid: uuid, Folder: uuid)));
        foreach (var (uuid, folder) in folders)
        {
            var appFolder = Path.Combine(services.Value.LockRoot, folder);
            if (Directory.Exists(appFolder) && Directory.EnumerateDirectories(appFolder).Any(service => LockFiles.Any(f => Path.Exists(Path.Combine(service, f)))))
            {
                locked.Add(uuid);
            }
        }

        return new CurrentState
        {
            Containers = containers,
            Images = records,
            LockedApps = locked,
            StoppedByApi = stoppedByApi?.Snapshot() ?? new HashSet<(string AppUuid, string ServiceName)>(),
        };
    }
}
