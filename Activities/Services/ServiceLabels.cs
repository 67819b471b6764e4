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
}
