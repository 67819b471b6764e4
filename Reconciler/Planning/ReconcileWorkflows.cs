namespace Supervisor.Reconciler.Planning;

/// <summary>The ids of the shipped workflows (<c>workflow-definitions/</c>) that a reconcile plan runs.</summary>
public static class ReconcileWorkflows
{
    public const string FetchImage = "fetch-image";
    public const string CreateService = "create-service";
    public const string StartService = "start-service";
    public const string StopService = "stop-service";
    public const string RemoveService = "remove-service";
    public const string UpdateServiceRelease = "update-service-release";
    public const string RemoveImage = "remove-image";
    public const string CreateNetwork = "create-network";
    public const string RemoveNetwork = "remove-network";
    public const string CreateVolume = "create-volume";
    public const string RemoveVolume = "remove-volume";

    /// <summary>Every workflow a plan may run: a host that applies targets needs them all.</summary>
    public static IReadOnlyList<string> All { get; } =
        [FetchImage, CreateService, StartService, StopService, RemoveService, UpdateServiceRelease, RemoveImage, CreateNetwork, RemoveNetwork, CreateVolume, RemoveVolume];
}
