using System.ComponentModel;
using System.Text.RegularExpressions;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Removes the named volumes of apps that are not in the accepted target (balena's <c>cleanup-volumes</c>). A volume
/// is an app's when it carries the supervisor's app label, or when it is named <c>&lt;appUuid&gt;_&lt;name&gt;</c> (as
/// services' named volumes are, see <c>ReconcileSteps.Bind</c>) for an app the supervisor knows from its containers
/// or image rows, or whose uuid has balena's 32-hex-digit form. Any other volume is the user's and is never touched.
/// A volume a container still uses is kept and named in the output: removal is never forced.
/// </summary>
[Description("Removes named volumes of apps that are not in the target; volumes still in use are kept.")]
public sealed partial class RemoveOrphanedVolumes(IDockerEngine engine, ITargetedApps targets, ImageStore images)
    : WorkflowActivity<NoInput, RemoveOrphanedVolumes.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(NoInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        var targetApps = await targets.ListAsync(cancellationToken).ConfigureAwait(false);
        var containers = await engine.ListContainersAsync(
            new Dictionary<string, string?> { [ServiceLabels.Supervised] = "true" }, cancellationToken).ConfigureAwait(false);
        var records = await images.ListAsync(cancellationToken).ConfigureAwait(false);
        var volumes = await engine.ListVolumesAsync(cancellationToken).ConfigureAwait(false);

        var known = containers.Select(c => c.Labels.GetValueOrDefault(ServiceLabels.AppUuid)).OfType<string>()
            .Concat(records.Select(r => r.AppUuid))
            .ToHashSet(StringComparer.Ordinal);
        var targeted = targetApps.Select(a => a.Uuid).ToHashSet(StringComparer.Ordinal);

        var removed = new List<string>();
        var inUse = new List<string>();
        foreach (var volume in volumes.Where(v => Owner(v, known) is { } owner && !targeted.Contains(owner)).OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            try
            {
                await engine.RemoveVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false);
                removed.Add(volume.Name);
            }
            catch (EngineNotFoundException)
            {
                // Removed already, by an earlier attempt or by hand.
            }
            catch (EngineConflictException)
            {
                inUse.Add(volume.Name);
            }
        }

        return Completed(new Output { Removed = removed, InUse = inUse });
    }

    /// <summary>The uuid of the app a volume belongs to, or null when it is not an app's.</summary>
    internal static string? Owner(EngineVolume volume, IReadOnlySet<string> knownApps)
    {
        if (volume.Labels.TryGetValue(ServiceLabels.AppUuid, out var labelled) && labelled.Length > 0)
        {
            return labelled;
        }

        var known = knownApps.Where(uuid => volume.Name.StartsWith(uuid + "_", StringComparison.Ordinal) && volume.Name.Length > uuid.Length + 1)
            .MaxBy(uuid => uuid.Length);
        return known ?? (BalenaUuidVolume().Match(volume.Name) is { Success: true } match ? match.Groups["uuid"].Value : null);
    }

    [GeneratedRegex("^(?<uuid>[0-9a-f]{32})_.+$")]
    private static partial Regex BalenaUuidVolume();

    public sealed record Output
    {
        [Description("The volumes removed.")]
        public IReadOnlyList<string> Removed { get; init; } = [];

        [Description("Volumes of apps not in the target that a container still uses; kept.")]
        public IReadOnlyList<string> InUse { get; init; } = [];
    }
}
