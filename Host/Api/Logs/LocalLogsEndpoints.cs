using System.Buffers;
using System.Text.Json;
using Supervisor.Activities.Engine;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// <c>GET /v2/local/logs</c>: every service's output as it is printed, one JSON object a line in balena's shape
/// (<c>{message, timestamp, serviceName, serviceId, isStdErr, isSystem}</c>), for as long as the client stays
/// connected. It is what <c>balena device logs</c> and <c>balena push</c> read.
/// </summary>
public static class LocalLogsEndpoints
{
    public static RouteGroupBuilder MapLocalLogs(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapGet("/local/logs", StreamAsync)
            .WithName("StreamLocalLogs")
            .WithSummary("Every service's output as NDJSON, from now on, until the client disconnects")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status503ServiceUnavailable);
        return v2;
    }

    private static async Task<IResult> StreamAsync(HttpContext context, IDockerEngine engine, ServiceLogFollower follower, TimeProvider time)
    {
        var since = time.GetUtcNow();
        var cancellationToken = context.RequestAborted;
        try
        {
            await engine.PingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            return RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }

        var caller = ApiCaller.Of(context);
        var response = context.Response;
        response.ContentType = "application/x-ndjson";
        using var writer = new Utf8JsonWriter(response.BodyWriter);

        // balena's first line: a client waiting for the stream to open sees it at once, before any service prints.
        WriteSystem(writer, "Streaming logs");
        await EndLineAsync(writer, response, cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var line in follower.FollowAsync(since, c => caller.MayActOn(ServiceLogLine.AppUuidOf(c)), cancellationToken).ConfigureAwait(false))
            {
                WriteLine(writer, line);
                await EndLineAsync(writer, response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: that is how this stream ends.
        }
        catch (EngineException ex)
        {
            // The answer has begun, so the failure is said as a last system line rather than a status.
            WriteSystem(writer, $"The log stream ended: {ex.Message}");
            await EndLineAsync(writer, response, CancellationToken.None).ConfigureAwait(false);
        }

        return Results.Empty;
    }

    private static void WriteSystem(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteBoolean("isSystem", true);
        writer.WriteEndObject();
    }

    private static void WriteLine(Utf8JsonWriter writer, ServiceLogLine line)
    {
        writer.WriteStartObject();
        writer.WriteString("message", line.Message);
        writer.WriteNumber("timestamp", line.Timestamp.ToUnixTimeMilliseconds());
        writer.WriteString("serviceName", line.ServiceName);
        if (line.ServiceId is { } id)
        {
            writer.WriteNumber("serviceId", id);
        }
        else
        {
            writer.WriteNull("serviceId");
        }

        writer.WriteBoolean("isStdErr", line.IsStdErr);
        writer.WriteBoolean("isSystem", false);
        writer.WriteEndObject();
    }

    private static async Task EndLineAsync(Utf8JsonWriter writer, HttpResponse response, CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        writer.Reset();
        response.BodyWriter.Write("\n"u8);
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
