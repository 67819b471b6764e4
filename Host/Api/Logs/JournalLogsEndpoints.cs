using System.Text;
using System.Text.Json;
using Supervisor.Activities.Engine;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Security;

namespace Supervisor.Host.Api.Logs;

/// <summary>
/// <c>POST /v2/journal-logs</c> (balena's, options in the body) and <c>GET /v2/journal-logs</c> (the same options
/// in the query): what balena reads from the host's journal, answered from the services' own output, since a
/// device running this supervisor has no balenaOS journal to give. Lines are written as <c>journalctl</c> writes
/// them (<see cref="JournalFormat"/>); with <c>follow</c> the answer goes on until the client disconnects.
/// </summary>
public static class JournalLogsEndpoints
{
    public static RouteGroupBuilder MapJournalLogs(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapPost("/journal-logs", async (HttpContext context, ServiceLogHistory history, ServiceLogFollower follower, IDockerEngine engine, TimeProvider time) =>
            {
                var (values, error) = await BodyValuesAsync(context.Request).ConfigureAwait(false);
                return error is not null
                    ? RunAnswers.Failed(StatusCodes.Status400BadRequest, error)
                    : await StreamAsync(context, values, history, follower, engine, time).ConfigureAwait(false);
            })
            .WithName("JournalLogs")
            .WithSummary("The services' logs as journalctl writes them (balena's options in a JSON body)")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status503ServiceUnavailable);
        v2.MapGet("/journal-logs", (HttpContext context, ServiceLogHistory history, ServiceLogFollower follower, IDockerEngine engine, TimeProvider time) =>
                StreamAsync(context, context.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal), history, follower, engine, time))
            .WithName("JournalLogsByQuery")
            .WithSummary("The services' logs as journalctl writes them (balena's options in the query)")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status503ServiceUnavailable);
        return v2;
    }

    private static async Task<IResult> StreamAsync(
        HttpContext context, IReadOnlyDictionary<string, string?> values, ServiceLogHistory history, ServiceLogFollower follower, IDockerEngine engine, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var query = JournalLogsQuery.Parse(values, time, out var errors);
        if (query is null)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, "journal-logs: " + string.Join("; ", errors));
        }

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
        bool Include(EngineContainer container) =>
            caller.MayActOn(ServiceLogLine.AppUuidOf(container))
            && (query.Unit is null || ServiceLogLine.ServiceNameOf(container) == query.Unit)
            && (query.ContainerId is null || container.Id.StartsWith(query.ContainerId, StringComparison.OrdinalIgnoreCase));

        var response = context.Response;
        response.ContentType = query.Format.Name == "json" ? "application/x-ndjson" : "text/plain; charset=utf-8";
        var host = Environment.MachineName;
        var zone = time.LocalTimeZone;
        async Task WriteAsync(ServiceLogLine line)
        {
            await response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes(query.Format.Write(line, host, zone) + "\n"), cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var until = query.Until is { } asked && asked < now ? asked : now;
            if (query.Since is not { } since || since <= until)
            {
                await foreach (var line in history.ReadAsync(query.Since, until, query.EffectiveCount, Include, cancellationToken).ConfigureAwait(false))
                {
                    await WriteAsync(line).ConfigureAwait(false);
                }
            }

            await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (query.Follow)
            {
                var from = query.Since is { } later && later > now ? later : now;
                await foreach (var line in follower.FollowAsync(from, Include, cancellationToken).ConfigureAwait(false))
                {
                    await WriteAsync(line).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (EngineException ex) when (response.HasStarted)
        {
            // The answer has begun: the failure is its last line.
            await response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes($"-- The log ended: {ex.Message} --\n"), CancellationToken.None).ConfigureAwait(false);
        }

        return Results.Empty;
    }

    /// <summary>balena's options from a JSON object or a form; an empty body asks for the defaults.</summary>
    private static async Task<(Dictionary<string, string?> Values, string? Error)> BodyValuesAsync(HttpRequest request)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false))
            {
                values[key] = value.ToString();
            }

            return (values, null);
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (values, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            return (values, $"journal-logs: the body is not JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (values, "journal-logs: the body must be a JSON object of options");
            }

            foreach (var option in document.RootElement.EnumerateObject())
            {
                switch (option.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        break;
                    case JsonValueKind.String:
                        values[option.Name] = option.Value.GetString();
                        break;
                    case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number:
                        values[option.Name] = option.Value.GetRawText();
                        break;
                    default:
                        return (values, $"journal-logs: {option.Name} must be a string, a number or true/false, not {option.Value.ValueKind.ToString().ToLowerInvariant()}");
                }
            }
        }

        return (values, null);
    }
}
