using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Supervisor.Activities.Engine;

/// <summary>Reading containers' output and watching them start: the two engine streams the log endpoints follow.</summary>
public sealed partial class DockerEngine
{
    // A line longer than this is given in parts rather than held whole: a program that never prints a line end
    // must not grow the supervisor's memory.
    private const int MaxLineBytes = 64 * 1024;

    public async IAsyncEnumerable<ContainerLogLine> ReadLogsAsync(
        string id, ContainerLogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Follow = request.Follow,
            Since = request.Since is { } since ? EngineTime(since) : null,
            Until = request.Until is { } until ? EngineTime(until) : null,
            Tail = request.Tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
        };

        // The engine answers the request at once and then streams; only the answer is under the request timeout.
        using var stream = await CallAsync(
            $"read the logs of container \"{id}\"",
            ct => _client.Containers.GetContainerLogsAsync(id, parameters, ct),
            cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var pending = new[] { new ArrayBufferWriter<byte>(), new ArrayBufferWriter<byte>() };
        try
        {
            while (true)
            {
                MultiplexedStream.ReadResult read;
                try
                {
                    read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The engine closed the stream (the container was removed): the log simply ends.
                    break;
                }

                if (read.EOF)
                {
                    break;
                }

                var isStdErr = read.Target == MultiplexedStream.TargetStream.StandardError;
                var line = pending[isStdErr ? 1 : 0];
                ReadOnlyMemory<byte> chunk = buffer.AsMemory(0, read.Count);
                while (!chunk.IsEmpty)
                {
                    var end = chunk.Span.IndexOf((byte)'\n');
                    var take = end < 0 ? chunk.Length : end;
                    line.Write(chunk.Span[..take]);
                    chunk = end < 0 ? ReadOnlyMemory<byte>.Empty : chunk[(end + 1)..];
                    if (end >= 0 || line.WrittenCount >= MaxLineBytes)
                    {
                        yield return ToLine(line.WrittenSpan, isStdErr);
                        line.ResetWrittenCount();
                    }
                }
            }

            for (var i = 0; i < pending.Length; i++)
            {
                if (pending[i].WrittenCount > 0)
                {
                    yield return ToLine(pending[i].WrittenSpan, isStdErr: i == 1);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async IAsyncEnumerable<ContainerStart> WatchStartsAsync(
        IReadOnlyDictionary<string, string?> labels, DateTimeOffset? since = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true },
            ["event"] = new Dictionary<string, bool> { ["start"] = true },
        };
        if (labels.Count > 0)
        {
            filters["label"] = labels.ToDictionary(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}", _ => true);
        }

        var starts = Channel.CreateUnbounded<ContainerStart>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = Task.Run(
            async () =>
            {
                try
                {
                    await _client.System.MonitorEventsAsync(
                        new ContainerEventsParameters { Filters = filters, Since = since is { } from ? EngineTime(from) : null }, new ChannelProgress(starts.Writer), stop.Token).ConfigureAwait(false);
                    starts.Writer.TryComplete();
                }
                catch (OperationCanceledException)
                {
                    starts.Writer.TryComplete();
                }
                catch (Exception ex) when (Translate("watch containers start", ex) is { } translated)
                {
                    starts.Writer.TryComplete(translated);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (var id in starts.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return id;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }
    }

    /// <summary>The engine's <c>since</c>/<c>until</c> form: seconds and nanoseconds since the epoch.</summary>
    private static string EngineTime(DateTimeOffset at)
    {
        var ticks = (at.UtcDateTime - DateTime.UnixEpoch).Ticks;
        return string.Create(CultureInfo.InvariantCulture, $"{ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond * 100:D9}");
    }

    /// <summary>A line as the engine gives it with timestamps on: <c>2026-12-04T08:30:00.123456789Z text</c>.</summary>
    private static ContainerLogLine ToLine(ReadOnlySpan<byte> bytes, bool isStdErr)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\r');
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && DateTimeOffset.TryParse(text.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return new ContainerLogLine(at, text[(space + 1)..], isStdErr);
        }

        // A part of a long line carries no timestamp of its own.
        return new ContainerLogLine(DateTimeOffset.UtcNow, text, isStdErr);
    }

    private sealed class ChannelProgress(ChannelWriter<ContainerStart> writer) : IProgress<Message>
    {
        public void Report(Message value)
        {
            if (value.Actor?.ID is { Length: > 0 } id)
            {
                var at = value.TimeNano is > 0 and var nanos
                    ? DateTimeOffset.UnixEpoch.AddTicks(nanos / 100)
                    : DateTimeOffset.FromUnixTimeSeconds(value.Time ?? 0);
                writer.TryWrite(new ContainerStart(id, at));
            }
        }
    }
}
