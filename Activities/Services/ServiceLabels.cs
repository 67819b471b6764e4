namespace Supervisor.Activities.Services;

/// <summary>
/// The labels that mark a container as a service the supervisor runs, and say which one. The
/// supervisor finds its containers by its own labels only, never by name or image id; it also puts
/// balena's <c>io.balena.*</c> labels on them, so that tools and people who know balena find them.
/// </summary>
public static class ServiceLabels
{
    public const string Supervised = "io.supervisor.supervised";
    public const string Instance = "io.supervisor.instance";
    public const string AppUuid = "io.supervisor.app-uuid";
    public const string ServiceName = "io.supervisor.service-name";
    public const string Commit = "io.supervisor.commit";

    /// <summary>The <see cref="Config.ServiceConfigFingerprint"/> of what the container was created from.</summary>
    public const string Config = "io.supervisor.config";

    public const string BalenaSupervised = "io.balena.supervised";
    public const string BalenaAppId = "io.balena.app-id";
    public const string BalenaAppUuid = "io.balena.app-uuid";
    public const string BalenaServiceId = "io.balena.service-id";
    public const string BalenaServiceName = "io.balena.service-name";

    /// <summary>The label filter that finds what one supervisor instance made (containers, networks, volumes).</summary>
    public static Dictionary<string, string?> SupervisedBy(string instance) =>
        new(StringComparer.Ordinal) { [Supervised] = "true", [Instance] = instance };

    /// <summary>
    /// The labels of an app's network or volume: the release's own, then the supervisor's and balena's marks, which no
    /// release can override, and the digest of what was declared for it when anything was.
    /// </summary>
    public static Dictionary<string, string> OfResource(IReadOnlyDictionary<string, string>? declared, string instance, string appUuid, string? fingerprint)
    {
        var labels = new Dictionary<string, string>(declared ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Supervised] = "true",
            [Instance] = instance,
            [AppUuid] = appUuid,
            [BalenaSupervised] = "true",
        };
        if (fingerprint is not null)
        {
            labels[Config] = fingerprint;
        }

        return labels;
    }
}
