using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Supervisor.Activities.Engine;

/// <summary>
/// <see cref="IDockerEngine"/> over Docker.DotNet. The API version is left unpinned: the client
/// speaks a newer API than the engines on devices (20.10, API 1.41), and an unversioned path is
/// answered by the engine at its own version.
/// </summary>
public sealed partial class DockerEngine : IDockerEngine, IDisposable
{
    private readonly DockerClient _client;
    private readonly TimeSpan _requestTimeout;
    private readonly Uri _endpoint;
    private readonly ILogger<DockerEngine> _logger;

    public DockerEngine(IOptions<DockerEngineOptions> options, ILogger<DockerEngine> logger)
        : this(options.Value, Environment.GetEnvironmentVariable("DOCKER_HOST"), logger)
    {
    }

    internal DockerEngine(DockerEngineOptions options, string? dockerHostVariable, ILogger<DockerEngine> logger)
    {
        _endpoint = options.ResolveEndpoint(dockerHostVariable);
        _requestTimeout = options.EngineRequestTimeout;
        _logger = logger;

        // Docker.DotNet's own timeout would also cut off long pulls; ours applies per request instead.
        _client = new DockerClientBuilder()
            .WithEndpoint(_endpoint)
            .WithTimeout(Timeout.InfiniteTimeSpan)
            .Build();
    }

    public Uri Endpoint => _endpoint;

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        CallAsync("ping the engine", ct => _client.System.PingAsync(ct), cancellationToken);

    public async Task PullImageAsync(string image, IProgress<PullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var operation = $"pull image \"{image}\"";
        var reporter = new PullProgressReporter(progress);
        try
        {
            await CallAsync(
                operation,
                ct => _client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image }, authConfig: null, reporter, ct),
                cancellationToken,
                timeout: Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
        catch (EngineException ex) when (ex is EngineNotFoundException or EngineErrorException)
        {
            // The engine answers some registry failures (unknown repository, registry down) with an
            // error status before streaming; to the caller they are the same failed pull.
            var registryMessage = EngineMessage((ex.InnerException as DockerApiException)?.ResponseBody);
            LogPullFailed(_logger, image, registryMessage);
            throw new ImagePullFailedException(operation, image, registryMessage, ex);
        }

        if (reporter.Error is { } error)
        {
            LogPullFailed(_logger, image, error);
            throw new ImagePullFailedException(operation, image, error);
        }
    }

    public Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        return CallAsync(
            $"tag image \"{image}\" as \"{repository}:{tag}\"",
            ct => _client.Images.TagImageAsync(image, new ImageTagParameters { RepositoryName = repository, Tag = tag }, ct),
            cancellationToken);
    }

    public Task RemoveImageTagAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CallAsync(
            $"remove image tag \"{name}\"",
            ct => _client.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = false }, ct),
            cancellationToken);
    }

    public async Task<EngineImage> InspectImageAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var operation = $"inspect image \"{name}\"";
        var image = await CallAsync(operation, ct => _client.Images.InspectImageAsync(name, ct), cancellationToken).ConfigureAwait(false);
        if (image is null || string.IsNullOrEmpty(image.ID))
        {
            throw EmptyAnswer(operation);
        }

        return new EngineImage(image.ID, ToList(image.RepoTags), ToList(image.RepoDigests), image.Size, image.Created)
        {
            Command = ToList(image.Config?.Cmd),
        };
    }

    public async Task<IReadOnlyList<EngineImage>> ListImagesAsync(string? reference = null, CancellationToken cancellationToken = default)
    {
        var parameters = new ImagesListParameters { Digests = true };
        if (!string.IsNullOrEmpty(reference))
        {
            parameters.Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["reference"] = new Dictionary<string, bool> { [reference] = true },
            };
        }

        var operation = reference is null ? "list images" : $"list images matching \"{reference}\"";
        var images = await CallAsync(operation, ct => _client.Images.ListImagesAsync(parameters, ct), cancellationToken).ConfigureAwait(false)
            ?? throw EmptyAnswer(operation);
        return images
            .Select(i => new EngineImage(i.ID, WithoutPlaceholders(i.RepoTags), WithoutPlaceholders(i.RepoDigests), i.Size, i.Created))
            .ToList();
    }

    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parameters = ContainerCreateParameters.From(spec);

        var operation = $"create container \"{spec.Name}\" from \"{spec.Image}\"";
        var created = await CallAsync(operation, ct => _client.Containers.CreateContainerAsync(parameters, ct), cancellationToken).ConfigureAwait(false);
        if (created is null || string.IsNullOrEmpty(created.ID))
        {
            throw EmptyAnswer(operation);
        }

        return created.ID;
    }

    public Task RenameContainerAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CallAsync(
            $"rename container \"{id}\" to \"{name}\"",
            ct => _client.Containers.RenameContainerAsync(id, new ContainerRenameParameters { NewName = name }, ct),
            cancellationToken);
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return CallAsync(
            $"start container \"{id}\"",
            ct => _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct),
            cancellationToken);
    }

    public Task StopContainerAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var seconds = (uint)Math.Max(0, Math.Ceiling(gracePeriod.TotalSeconds));

        // The engine answers only once the container is down, so the request may take the whole grace period.
        return CallAsync(
            $"stop container \"{id}\"",
            ct => _client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, ct),
            cancellationToken,
            timeout: _requestTimeout + TimeSpan.FromSeconds(seconds));
    }

    public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return CallAsync(
            $"remove container \"{id}\"",
            ct => _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = false, RemoveVolumes = false }, ct),
            cancellationToken);
    }

    public async Task<EngineContainer> InspectContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var operation = $"inspect container \"{id}\"";
        var container = await CallAsync(operation, ct => _client.Containers.InspectContainerAsync(id, ct), cancellationToken).ConfigureAwait(false);
        if (container is null || string.IsNullOrEmpty(container.ID) || container.State is null)
        {
            throw EmptyAnswer(operation);
        }

        return new EngineContainer(
            container.ID,
            container.Name.TrimStart('/'),
            container.Config?.Image ?? string.Empty,
            container.Image,
            container.State.Status,
            container.State.Running,
            ToDictionary(container.Config?.Labels),
            container.Created,
            ParseEngineTime(container.State.StartedAt))
        {
            Mounts = ToMounts(container.Mounts),
        };
    }

    public async Task<IReadOnlyList<EngineContainer>> ListContainersAsync(
        IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var parameters = new ContainersListParameters { All = true };
        if (labels.Count > 0)
        {
            parameters.Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = labels.ToDictionary(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}", _ => true),
            };
        }

        const string operation = "list containers";
        var containers = await CallAsync(operation, ct => _client.Containers.ListContainersAsync(parameters, ct), cancellationToken).ConfigureAwait(false)
            ?? throw EmptyAnswer(operation);
        return containers
            .Select(c => new EngineContainer(
                c.ID,
                c.Names is { Count: > 0 } names ? names[0].TrimStart('/') : string.Empty,
                c.Image,
                c.ImageID,
                c.State,
                string.Equals(c.State, "running", StringComparison.Ordinal),
                ToDictionary(c.Labels),
                c.Created,
                StartedAt: null)
            {
                Mounts = ToMounts(c.Mounts),
            })
            .ToList();
    }

    public async Task<IReadOnlyList<EngineVolume>> ListVolumesAsync(CancellationToken cancellationToken = default)
    {
        const string operation = "list volumes";
        var answer = await CallAsync(operation, ct => _client.Volumes.ListAsync(ct), cancellationToken).ConfigureAwait(false)
            ?? throw EmptyAnswer(operation);
        return (answer.Volumes ?? []).Select(v => new EngineVolume(v.Name, ToDictionary(v.Labels))).ToList();
    }

    public Task CreateVolumeAsync(
        string name, string? driver, IReadOnlyDictionary<string, string> driverOptions, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(driverOptions);
        ArgumentNullException.ThrowIfNull(labels);
        var parameters = new VolumesCreateParameters { Name = name, Driver = driver ?? "local", DriverOpts = driverOptions.ToDictionary(), Labels = labels.ToDictionary() };
        return CallAsync($"create volume \"{name}\"", ct => _client.Volumes.CreateAsync(parameters, ct), cancellationToken);
    }

    public Task RemoveVolumeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CallAsync($"remove volume \"{name}\"", ct => _client.Volumes.RemoveAsync(name, force: false, ct), cancellationToken);
    }

    public async Task<IReadOnlyList<EngineNetwork>> ListNetworksAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var parameters = new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = labels.ToDictionary(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}", _ => true),
            },
        };
        var answer = await CallAsync("list networks", ct => _client.Networks.ListNetworksAsync(parameters, ct), cancellationToken).ConfigureAwait(false)
            ?? throw EmptyAnswer("list networks");
        return answer.Select(n => new EngineNetwork(n.ID, n.Name, ToDictionary(n.Labels))).ToList();
    }

    public Task CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = spec.Config;
        var parameters = new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = config.Driver ?? "bridge",
            Labels = spec.Labels.ToDictionary(),
            Options = config.DriverOpts.ToDictionary(),
            EnableIPv6 = config.EnableIpv6,
            Internal = config.Internal ?? false,
            IPAM = config.Ipam is not { } ipam ? null! : new IPAM
            {
                Driver = ipam.Driver ?? "default",
                Options = ipam.Options.ToDictionary(),
                Config = [.. ipam.Config.Select(pool => new IPAMConfig
                {
                    Subnet = pool.Subnet!,
                    Gateway = pool.Gateway!,
                    IPRange = pool.IpRange!,
                    AuxAddress = pool.AuxAddresses.Count > 0 ? pool.AuxAddresses.ToDictionary() : null!,
                })],
            },
        };
        return CallAsync($"create network \"{spec.Name}\"", ct => _client.Networks.CreateNetworkAsync(parameters, ct), cancellationToken);
    }

    public async Task ConnectNetworkAsync(string network, string containerId, NetworkEndpoint? endpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        var operation = $"connect container \"{containerId}\" to network \"{network}\"";
        var container = await CallAsync(operation, ct => _client.Containers.InspectContainerAsync(containerId, ct), cancellationToken).ConfigureAwait(false);
        if (container.NetworkSettings?.Networks?.ContainsKey(network) == true)
        {
            return;
        }

        await CallAsync(
            operation,
            ct => _client.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters { Container = containerId, EndpointConfig = ContainerCreateParameters.Settings(endpoint)! }, ct),
            cancellationToken).ConfigureAwait(false);
    }

    public Task RemoveNetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CallAsync($"remove network \"{name}\"", ct => _client.Networks.DeleteNetworkAsync(name, ct), cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull of {Image} failed: {Error}")]
    private static partial void LogPullFailed(ILogger logger, string image, string error);

    private async Task CallAsync(string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        await CallAsync<object?>(
            operation,
            async ct =>
            {
                await call(ct).ConfigureAwait(false);
                return null;
            },
            cancellationToken,
            timeout).ConfigureAwait(false);

    /// <summary>Runs one engine call under the request timeout and turns whatever went wrong into an <see cref="EngineException"/>.</summary>
    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _requestTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit != Timeout.InfiniteTimeSpan)
        {
            timeoutSource.CancelAfter(limit);
        }

        try
        {
            return await call(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeoutSource.IsCancellationRequested)
        {
            throw new EngineUnreachableException(
                operation,
                $"The Docker engine at {_endpoint} did not answer within {limit.TotalSeconds:0.#} s while trying to {operation}. " +
                "Check that dockerd is running and responsive, or raise Supervisor:EngineRequestTimeout.",
                ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    private EngineException? Translate(string operation, Exception exception)
    {
        switch (exception)
        {
            case DockerApiException api:
                var message = EngineMessage(api.ResponseBody);
                return api.StatusCode switch
                {
                    HttpStatusCode.NotFound => new EngineNotFoundException(operation, $"Could not {operation}: {message}", api),
                    HttpStatusCode.Conflict => new EngineConflictException(operation, $"Could not {operation}: {message}", api),
                    _ => new EngineErrorException(
                        operation, api.StatusCode, $"The Docker engine failed to {operation} (HTTP {(int)api.StatusCode}): {message}", api),
                };
            case JsonException or NotSupportedException:
                return new EngineProtocolException(
                    operation,
                    $"The Docker engine at {_endpoint} sent an answer that is not valid Docker API JSON while trying to {operation}: {exception.Message} " +
                    "Check that Supervisor:DockerHost points at dockerd and not at another service.",
                    exception);
            case HttpRequestException or SocketException or IOException:
                return new EngineUnreachableException(
                    operation,
                    $"Cannot reach the Docker engine at {_endpoint} to {operation}: {Innermost(exception).Message}. " +
                    "Check that dockerd is running and that Supervisor:DockerHost (or DOCKER_HOST) names its socket.",
                    exception);
            default:
                return null;
        }
    }

    private EngineProtocolException EmptyAnswer(string operation) =>
        new(operation, $"The Docker engine at {_endpoint} sent an empty answer while trying to {operation}. " +
            "Check that Supervisor:DockerHost points at dockerd and not at another service.", null);

    /// <summary>The engine wraps its errors as <c>{"message": "..."}</c>; anything else is shown as it came.</summary>
    private static string EngineMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "the engine gave no reason";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("message", out var message) &&
                message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through and show the body itself.
        }

        return body.Trim();
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    private static DateTimeOffset? ParseEngineTime(string? value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
        && time.Year > 1 ? time : null;

    private static List<string> ToList(IList<string>? values) => values is null ? [] : [.. values];

    /// <summary>The engine lists untagged images as <c>&lt;none&gt;:&lt;none&gt;</c>; those are not names.</summary>
    private static List<string> WithoutPlaceholders(IList<string>? values) =>
        values is null ? [] : values.Where(v => !v.StartsWith("<none>", StringComparison.Ordinal)).ToList();

    // A destination is mounted once per container; the first wins should an engine ever repeat one.
    private static Dictionary<string, string> ToMounts(IList<MountPoint>? mounts) =>
        (mounts ?? []).Where(m => !string.IsNullOrEmpty(m.Destination))
            .DistinctBy(m => m.Destination, StringComparer.Ordinal)
            .ToDictionary(m => m.Destination, m => m.Source ?? string.Empty, StringComparer.Ordinal);

    private static Dictionary<string, string> ToDictionary(IDictionary<string, string>? values) =>
        values is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(values, StringComparer.Ordinal);
}
