using System.Globalization;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Activities.Volumes;

/// <summary>
/// How an app's named volumes are named and labelled on the engine, as balena does it: <c>&lt;appId&gt;_&lt;name&gt;</c>
/// (the app's uuid when the target gives no numeric id), with <c>io.balena.supervised</c> and
/// <c>io.balena.app-uuid</c>, plus the supervisor's own labels. Supervisors before this one named every volume
/// <c>&lt;appUuid&gt;_&lt;name&gt;</c>: such a volume, where it exists, is used in place of the new name, so that
/// no service loses its data to a rename.
/// </summary>
public static class AppVolumes
{
    public static string EngineName(string appUuid, long? appId, string name) =>
        $"{(appId is { } id ? id.ToString(CultureInfo.InvariantCulture) : appUuid)}_{name}";

    /// <summary>The name an earlier Supervisor gave the volume, when it differs from <see cref="EngineName"/>.</summary>
    public static string? LegacyName(string appUuid, long? appId, string name) => appId is null ? null : $"{appUuid}_{name}";

    /// <summary>
    /// The engine's name for a volume whose name by <see cref="EngineName"/> is <paramref name="engineName"/>: the
    /// earlier Supervisor's name when only that volume exists.
    /// </summary>
    public static string Resolve(string engineName, string appUuid, long? appId, IReadOnlySet<string> existing)
    {
        ArgumentNullException.ThrowIfNull(engineName);
        ArgumentNullException.ThrowIfNull(existing);
        var prefix = appId?.ToString(CultureInfo.InvariantCulture) + "_";
        if (appId is null || !engineName.StartsWith(prefix, StringComparison.Ordinal) || existing.Contains(engineName))
        {
            return engineName;
        }

        var legacy = $"{appUuid}_{engineName[prefix.Length..]}";
        return existing.Contains(legacy) ? legacy : engineName;
    }

    /// <summary>A short digest of the declared options, carried as <see cref="ServiceLabels.Config"/>; none when nothing is declared.</summary>
    public static string? Fingerprint(VolumeConfig? config) => DeclaredConfigJson.DigestOf(config);

    /// <summary>The release's labels for the volume, then balena's and the supervisor's, which no release can override.</summary>
    public static Dictionary<string, string> Labels(AppVolumeInput input, string instance)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labels = ServiceLabels.OfResource(input.Config?.Labels, instance, input.AppUuid, Fingerprint(input.Config));
        labels[ServiceLabels.BalenaAppUuid] = input.AppUuid;
        return labels;
    }

    public static async Task<HashSet<string>> NamesAsync(IDockerEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return [.. (await engine.ListVolumesAsync(cancellationToken).ConfigureAwait(false)).Select(v => v.Name)];
    }
}
