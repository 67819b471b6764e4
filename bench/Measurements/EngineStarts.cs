using System.Globalization;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// The engine's container <c>start</c> events for one label from the moment this is made on, as they arrive: the
/// moment a user sees a service running. It asks the engine for the events since its own creation, so none is missed
/// while the event stream is still connecting.
/// </summary>
public sealed class EngineStarts : IDisposable
{
    private readonly Channel<string> _started = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public EngineStarts(DockerClient docker, string label)
    {
        ArgumentNullException.ThrowIfNull(docker);
        var ticks = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks;
        var since = string.Create(CultureInfo.InvariantCulture, $"{ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond * 100:D9}");
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true },
            ["event"] = new Dictionary<string, bool> { ["start"] = true },
            ["label"] = new Dictionary<string, bool> { [label] = true },
        };
        _watching = docker.System.MonitorEventsAsync(
            new ContainerEventsParameters { Filters = filters, Since = since },
            new Started(_started.Writer),
            _stop.Token);
    }

    /// <summary>Waits until <paramref name="count"/> containers have started.</summary>
    public async Task CountAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (seen.Count < count)
            {
                seen.Add(await _started.Reader.ReadAsync(deadline.Token).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{seen.Count} of {count} containers started within {timeout}.");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _watching.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    // Reported on the event stream's own thread, not posted to the thread pool as Progress<T> would, so that the
    // moment a start is seen is the moment it arrived.
    private sealed class Started(ChannelWriter<string> writer) : IProgress<Message>
    {
        public void Report(Message value) => writer.TryWrite(value.Actor?.ID ?? string.Empty);
    }
}
