namespace Supervisor.Activities.Services;

/// <summary>
/// The labels that mark a container as a service the supervisor runs, and say which one. The
/// supervisor finds its containers by these labels only, never by name or image id.
/// </summary>
public static class ServiceLabels
{
    public const string Supervised = "io.supervisor.supervised";
    public const string Instance = "io.supervisor.instance";
    public const string AppUuid = "io.supervisor.app-uuid";
    public const string ServiceName = "io.supervisor.service-name";
    public const string Commit = "io.supervisor.commit";
}
