using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// Follows the output of every supervised container, those running now and those that start later (a push recreates
/// them), merged into one stream of lines. Nothing is kept beyond a small queue: a slow reader holds the engine's
/// streams back instead of growing the supervisor's memory.
/// </summary>
public sealed partial class ServiceLogFollower(IDockerEngine engine, IOptions<ServiceOptions> services, ILogger<ServiceLogFollower> logger)
{
    // Enough to smooth bursts of many services; a reader that falls further behind makes the followers wait.
    private const int QueueLines = 1024;

    /// <summary>Every line printed from <paramref name="since"/> on, for as long as the token is not cancelled.</summary>
    /// <param name="include">Which containers to follow (a scoped key sees its own app's only).</param>
    public async IAsyncEnumerable<ServiceLogLine> FollowAsync(
        DateTimeOffset since, Func<EngineContainer, bool> include, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(include);
        var labels = ServiceLabels.SupervisedBy(services.Value.Instance);
        var queue = Channel.CreateBounded<ServiceLogLine>(new BoundedChannelOptions(QueueLines) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var followed = new Dictionary<string, Followed>(StringComparer.Ordinal);
        var gate = new Lock();

        // A container is followed by one task at a time; one that starts again while its old stream is still
        // ending is followed anew after it, from where the old one stopped, so no line is given twice or lost.
        void Follow(string id, DateTimeOffset from)
        {
            lock (gate)
            {
                var state = followed.TryGetValue(id, out var known) ? known : followed[id] = new Followed();
                var previous = state.Task;
                state.Task = Task.Run(
                    async () =>
                    {
                        await previous.ConfigureAwait(false);
                        await FollowOneAsync(id, from, state, include, queue.Writer, stop.Token).ConfigureAwait(false);
                    },
                    CancellationToken.None);
            }
        }

        var watching = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var start in engine.WatchStartsAsync(labels, since, stop.Token).ConfigureAwait(false))
                    {
                        Follow(start.Id, start.At < since ? since : start.At);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (EngineException ex)
                {
                    queue.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            foreach (var container in await engine.ListContainersAsync(labels, stop.Token).ConfigureAwait(false))
            {
                if (container.Running)
                {
                    Follow(container.Id, since);
                }
            }

            await foreach (var line in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
            Task[] tasks;
            lock (gate)
            {
                tasks = [.. followed.Values.Select(f => f.Task)];
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
    }

    private async Task FollowOneAsync(
        string id, DateTimeOffset from, Followed state, Func<EngineContainer, bool> include, ChannelWriter<ServiceLogLine> queue, CancellationToken cancellationToken)
    {
        try
        {
            var container = await engine.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            if (!include(container))
            {
                return;
            }

            var resumeAfter = state.Last;
            var since = resumeAfter is { } last && last > from ? last : from;
            await foreach (var line in engine.ReadLogsAsync(id, new ContainerLogRequest { Since = since, Follow = true }, cancellationToken).ConfigureAwait(false))
            {
                // Following a container again: the engine's since is inclusive, so the lines up to the last one
                // given come again and are skipped.
                if (resumeAfter is { } given && line.Timestamp <= given)
                {
                    continue;
                }

                state.Last = line.Timestamp;
                await queue.WriteAsync(ServiceLogLine.Of(container, line), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (EngineNotFoundException)
        {
            // Removed before or while it was read: its lines end here.
        }
        catch (EngineException ex)
        {
            LogFollowFailed(logger, id, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the output of container {ContainerId} stopped: {Error}")]
    private static partial void LogFollowFailed(ILogger logger, string containerId, string error);

    private sealed class Followed
    {
        public Task Task { get; set; } = Task.CompletedTask;

        public DateTimeOffset? Last { get; set; }
    }
}
