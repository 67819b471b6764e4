using System.Text;
using Microsoft.Extensions.Options;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Configuration;
using Supervisor.Reconciler.Target;

namespace Supervisor.Host.Api.Local;

/// <summary>
/// Local mode's target source: <c>POST /v2/local/target-state</c> takes a target state v3 document
/// and <c>GET</c> gives back the one accepted. A document with any error is refused whole,
/// listing every error with its JSON path, and the accepted target stays as it was.
/// </summary>
public static class LocalTargetStateEndpoints
{
    private const int MaxBytes = 10 * 1024 * 1024;

    public static RouteGroupBuilder MapLocalTargetState(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapPost("/local/target-state", SetAsync);
        v2.MapGet("/local/target-state", async (TargetStateStore store, CancellationToken cancellationToken) =>
        {
            var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
            return stored is null
                ? Results.Json(new { status = "success", state = (object?)null })
                : Results.Text($$"""{"status":"success","source":"{{stored.Source}}","acceptedAt":"{{stored.AcceptedAt:O}}","state":{{stored.State.Json}}}""", "application/json", Encoding.UTF8);
        });
        return v2;
    }

    private static async Task<IResult> SetAsync(HttpRequest request, IOptions<SupervisorOptions> options, TargetStateStore store, CancellationToken cancellationToken)
    {
        if (!options.Value.LocalMode)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest,
                "Target state can only be set when the device is in local mode: set Supervisor:LocalMode to true.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > MaxBytes)
        {
            return RunAnswers.Failed(StatusCodes.Status400BadRequest, $"The target state is larger than {MaxBytes / 1024 / 1024} MiB.");
        }

        var parsed = TargetStateParser.Parse(body);
        if (parsed.State is not { } state)
        {
            var message = $"Invalid target state ({parsed.Errors.Count} {(parsed.Errors.Count == 1 ? "error" : "errors")}): " +
                string.Join("; ", parsed.Errors.Select(e => $"{e.Path}: {e.Message}"));
            return Results.Json(
                new { status = "failed", message, errors = parsed.Errors.Select(e => new { path = e.Path, message = e.Message }) },
                statusCode: StatusCodes.Status400BadRequest);
        }

        await store.SaveAsync(state, StoredTargetState.LocalSource, cancellationToken).ConfigureAwait(false);
        return Results.Json(new { status = "success", message = "OK" });
    }
}
