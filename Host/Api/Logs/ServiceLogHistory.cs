using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// What the supervised containers have printed, running or stopped, as one stream in time order. Each container's
/// lines are read as a stream of their own and merged as they come, holding one line per container (and, when only
/// the last lines are asked for, those lines): a long history never sits in memory whole.
/// </summary>
public sealed class ServiceLogHistory(IDockerEngine engine, IOptions<ServiceOptions> services)
{
    /// <param name="last">Only the last this many lines of all the containers together; null for all of them.</param>
    public async IAsyncEnumerable<ServiceLogLine> ReadAsync(
        DateTimeOffset? since, DateTimeOffset until, int? last, Func<EngineContainer, bool> include,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(include);
        var containers = (await engine.ListContainersAsync(ServiceLabels.SupervisedBy(services.Value.Instance), cancellationToken).ConfigureAwait(false))
            .Where(include).ToList();

        // Each container gives at most `last` lines, so the merged tail is within what they give.
        var request = new ContainerLogRequest { Since = since, Until = until, Tail = last };
        var readers = new List<IAsyncEnumerator<ServiceLogLine>>();
        var next = new PriorityQueue<IAsyncEnumerator<ServiceLogLine>, DateTimeOffset>();
        var kept = new Queue<ServiceLogLine>();
        try
        {
            foreach (var container in containers)
            {
                var reader = Lines(container, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
                readers.Add(reader);
                if (await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    next.Enqueue(reader, reader.Current.Timestamp);
                }
            }

            while (next.TryDequeue(out var reader, out _))
            {
                var line = reader.Current;
                if (await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    next.Enqueue(reader, reader.Current.Timestamp);
                }

                if (last is null)
                {
                    yield return line;
                    continue;
                }

                kept.Enqueue(line);
                if (kept.Count > last)
                {
                    kept.Dequeue();
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var line in kept)
        {
            yield return line;
        }
    }

    private async IAsyncEnumerable<ServiceLogLine> Lines(
        EngineContainer container, ContainerLogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = engine.ReadLogsAsync(container.Id, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await lines.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (EngineNotFoundException)
                {
                    // Removed since it was listed: its lines are gone with it.
                    yield break;
                }

                yield return ServiceLogLine.Of(container, lines.Current);
            }
        }
        finally
        {
            await lines.DisposeAsync().ConfigureAwait(false);
        }
    }
}
