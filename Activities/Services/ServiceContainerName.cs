using System.Globalization;
using System.Text.RegularExpressions;
using Supervisor.Activities.Engine;

namespace Supervisor.Activities.Services;

/// <summary>
/// A service container's name, which also says which release it runs: balena's
/// <c>&lt;service&gt;_&lt;imageId&gt;_&lt;releaseId&gt;_&lt;commit&gt;</c>, or <c>&lt;service&gt;_&lt;appUuid&gt;_&lt;commit&gt;</c>
/// for a target without balena's numeric ids (the app uuid keeps two apps' names apart). A release that keeps a
/// service unchanged moves its container to the new release by renaming it, as balena does, without a restart: the
/// labels an engine puts on a container cannot change, so the name is where the current release is kept.
/// </summary>
public static partial class ServiceContainerName
{
    public static string Format(string serviceName, string appUuid, string commit, long? imageId, long? releaseId) =>
        imageId is { } image && releaseId is { } release
            ? string.Create(CultureInfo.InvariantCulture, $"{serviceName}_{image}_{release}_{commit}")
            : $"{serviceName}_{appUuid}_{commit}";

    /// <summary>
    /// The release a container runs: read from its name when the container was created under this naming (it carries
    /// <see cref="ServiceLabels.Config"/>), from the commit label otherwise (containers of an earlier Supervisor,
    /// whose names held shortened ids).
    /// </summary>
    public static string? ReleaseOf(EngineContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        IReadOnlyDictionary<string, string> labels = container.Labels;
        string? created = labels.GetValueOrDefault(ServiceLabels.Commit);
        if (!labels.ContainsKey(ServiceLabels.Config)
            || labels.GetValueOrDefault(ServiceLabels.ServiceName) is not { } service
            || labels.GetValueOrDefault(ServiceLabels.AppUuid) is not { } app)
        {
            return created;
        }

        string name = container.Name.TrimStart('/');
        if (!name.StartsWith(service + "_", StringComparison.Ordinal))
        {
            return created;
        }

        // balena's form is tried first: an app uuid of digits (balena push's v2 target makes the app id "1" its uuid)
        // would otherwise read web_1_1_10ca12e1ea5e as app "1" with commit "1_10ca12e1ea5e". The other way round
        // needs an all-digit uuid and a commit that starts with digits and an underscore.
        string rest = name[(service.Length + 1)..];
        Match ids = BalenaIds().Match(rest);
        if (ids.Success)
        {
            return ids.Groups["commit"].Value;
        }

        return rest.StartsWith(app + "_", StringComparison.Ordinal) ? rest[(app.Length + 1)..] : created;
    }

    [GeneratedRegex(@"\A[0-9]+_[0-9]+_(?<commit>.+)\z")]
    private static partial Regex BalenaIds();
}
