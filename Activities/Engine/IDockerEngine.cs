namespace Supervisor.Activities.Engine;

/// <summary>
/// The engine calls the supervisor needs, and nothing more. Every failure surfaces as an
/// <see cref="EngineException"/> subclass, so callers never see Docker.DotNet's own exceptions.
/// </summary>
public interface IDockerEngine
{
    /// <summary>Answers when the engine is up; throws <see cref="EngineUnreachableException"/> otherwise.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Pulls an image by <c>repo:tag</c> or <c>repo@digest</c>. A pull by digest leaves the image
    /// untagged. Errors the engine reports inside the progress stream throw <see cref="ImagePullFailedException"/>.
    /// </summary>
    Task PullImageAsync(string image, IProgress<PullProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Adds the tag <c>repository:tag</c> to an image named by id, tag or digest.</summary>
    Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes one tag or digest reference, never with force; the image itself goes only when no
    /// other reference is left. Throws <see cref="EngineNotFoundException"/> when the name is gone.
    /// </summary>
    Task RemoveImageTagAsync(string name, CancellationToken cancellationToken = default);

    Task<EngineImage> InspectImageAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists images with their digests; <paramref name="reference"/> filters like <c>docker images REF</c>.</summary>
    Task<IReadOnlyList<EngineImage>> ListImagesAsync(string? reference = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a container and returns its id.</summary>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    Task StartContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gives a container a new name; it keeps running.</summary>
    Task RenameContainerAsync(string id, string name, CancellationToken cancellationToken = default);

    /// <summary>Stops a container, killing it after <paramref name="gracePeriod"/>. Stopping a stopped container succeeds.</summary>
    Task StopContainerAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken = default);

    /// <summary>Removes a stopped container (a running one is a conflict).</summary>
    Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default);

    Task<EngineContainer> InspectContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists containers, running or not, that carry every label given; a null value matches the
    /// label with any value.
    /// </summary>
    Task<IReadOnlyList<EngineContainer>> ListContainersAsync(
        IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken = default);

    /// <summary>Creates a named volume with a driver (null for <c>local</c>), its options and labels.</summary>
    Task CreateVolumeAsync(
        string name, string? driver, IReadOnlyDictionary<string, string> driverOptions, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default);

    /// <summary>Lists every volume on the engine, with its labels.</summary>
    Task<IReadOnlyList<EngineVolume>> ListVolumesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a volume, never with force: one a container still uses is a <see cref="EngineConflictException"/>,
    /// one already gone an <see cref="EngineNotFoundException"/>.
    /// </summary>
    Task RemoveVolumeAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The networks whose labels match (a null value matches any value).</summary>
    Task<IReadOnlyList<EngineNetwork>> ListNetworksAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken = default);

    /// <summary>Creates a network; one of that name already there is a conflict.</summary>
    Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Joins a container to one more network (the engine joins only one at creation). Joining a network the
    /// container is already on succeeds, so a step run again after a crash converges.
    /// </summary>
    Task ConnectNetworkAsync(string network, string containerId, NetworkEndpoint? endpoint = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a network; one a container still uses is a conflict, one already gone is not found.</summary>
    Task RemoveNetworkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// A container's output, line by line as the engine gives it (never the whole log at once). With
    /// <see cref="ContainerLogRequest.Follow"/> it ends when the container stops or the token is cancelled.
    /// </summary>
    IAsyncEnumerable<ContainerLogLine> ReadLogsAsync(string id, ContainerLogRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Containers carrying <paramref name="labels"/> as they start, from <paramref name="since"/> (so that none starting
    /// while the watch is set up is missed) until the token is cancelled.
    /// </summary>
    IAsyncEnumerable<ContainerStart> WatchStartsAsync(IReadOnlyDictionary<string, string?> labels, DateTimeOffset? since = null, CancellationToken cancellationToken = default);
}
