using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Supervisor.Activities.Services;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;

namespace Supervisor.Bench.DeviceApi;

/// <summary>
/// The real host process in local mode on the private engine, with the shipped definitions, an instance name of its
/// own (so that only its containers are looked at and removed) and clients for its API and the engine. A signal stops
/// the host and cancels <see cref="Interrupted"/>, so that the bench's finally blocks still remove what it made.
/// </summary>
public sealed class LocalDevice : IDisposable
{
    public const string ApiKey = "bench-api-key";

    private readonly BenchDirectory _directory;
    private readonly CancellationTokenSource _interrupted = new();
    private readonly PosixSignalRegistration[] _signals;

    private LocalDevice(string purpose, string[] args)
    {
        Environment = BenchEngineEnvironment.FromEnvironment();
        Instance = $"bench-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";
        _directory = new BenchDirectory(purpose);
        foreach (var file in Directory.EnumerateFiles("workflow-definitions", "*.json"))
        {
            File.Copy(file, Path.Combine(_directory.Workflows, Path.GetFileName(file)));
        }

        Host = HostProcess.Start(_directory, ApiKey,
            [$"--Supervisor:DockerHost={Environment.DockerHost}", "--Supervisor:LocalMode=true",
            $"--Supervisor:LockRoot={Path.Combine(_directory.Path, "locks")}", $"--Supervisor:Instance={Instance}",
            .. Options.Settings(args).Select(s => $"--{s.Key}={s.Value}")]);
        Http = new HttpClient { BaseAddress = Host.Address, Timeout = Timeout.InfiniteTimeSpan };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        Docker = new DockerClientBuilder().WithEndpoint(new Uri(Environment.DockerHost)).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, Interrupt))];
    }

    public BenchEngineEnvironment Environment { get; }

    public string Instance { get; }

    /// <summary>The label filter that finds this host's containers.</summary>
    public string InstanceLabel => $"{ServiceLabels.Instance}={Instance}";

    public HostProcess Host { get; }

    public HttpClient Http { get; }

    public DockerClient Docker { get; }

    public CancellationToken Interrupted => _interrupted.Token;

    /// <summary>Starts the host and waits until it answers <c>/ping</c>.</summary>
    /// <param name="args">The bench's arguments; each <c>--set Key=Value</c> is passed to the host.</param>
    public static async Task<LocalDevice> StartAsync(string purpose, string[] args)
    {
        var device = new LocalDevice(purpose, args);
        await device.UntilAsync(async () => (await device.Http.GetAsync(new Uri("/ping", UriKind.Relative)).ConfigureAwait(false)).IsSuccessStatusCode, "the host to answer /ping").ConfigureAwait(false);
        return device;
    }

    /// <summary>Posts a local target state; a refusal ends the bench with the host's answer.</summary>
    public async Task PostTargetAsync(string json)
    {
        using var posted = await Http.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Interrupted).ConfigureAwait(false);
        if (!posted.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The target-state POST answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync(Interrupted).ConfigureAwait(false)}");
        }
    }

    public Task<IList<ContainerListResponse>> ContainersAsync(string label, bool all = true) =>
        Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }, Interrupted);

    /// <summary>Removes every container with the label, whatever its state.</summary>
    public async Task RemoveContainersAsync(string label)
    {
        foreach (var container in await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }).ConfigureAwait(false))
        {
            try
            {
                await Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Stops the host, then removes every container and network it made, so that the next bench starts clean.</summary>
    public async Task StopAndRemoveAsync()
    {
        Host.Stop();
        await RemoveContainersAsync(InstanceLabel).ConfigureAwait(false);
        var networks = await Docker.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [InstanceLabel] = true } },
        }).ConfigureAwait(false);
        foreach (var network in networks)
        {
            await Docker.Networks.DeleteNetworkAsync(network.ID).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the condition every 20 ms until it holds; two minutes without it end the bench.</summary>
    public async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after 2 minutes.");
            }

            await Task.Delay(20, Interrupted).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        Http.Dispose();
        Docker.Dispose();
        Host.Dispose();
        _interrupted.Dispose();
        _directory.Dispose();
    }

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        Host.Stop();
        _interrupted.Cancel();
    }
}
