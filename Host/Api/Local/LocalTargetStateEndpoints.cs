using System.Text;
using Microsoft.Extensions.Options;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Configuration;
using Supervisor.Reconciler.Cloud;
using Supervisor.Reconciler.Target;

namespace Supervisor.Host.Api.Local;

/// <summary>
/// Local mode's target source: <c>POST /v2/local/target-state</c> takes a target state v3 document, or balena's
/// v2 "local" document that <c>balena push</c> sends (converted as balena converts it), and <c>GET</c> gives the
/// accepted one back in balena's shape, <c>state.local</c>, with the v3 document beside it. A document with any
/// error is refused whole, listing every error with its JSON path, and the accepted target stays as it was.
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

            // balena answers its own shape even before any target, and balena push edits what it reads (it keeps
            // name and config and replaces apps), so the answer is never null.
            var state = TargetStateV2.ToLocal(stored?.State.Json, stored?.State.Name ?? string.Empty).ToJsonString();
            return stored is null
                ? Results.Text($$"""{"status":"success","state":{{state}},"stateV3":null}""", "application/json", Encoding.UTF8)
                : Results.Text($$"""{"status":"success","source":"{{stored.Source}}","acceptedAt":"{{stored.AcceptedAt:O}}","state":{{state}},"stateV3":{{stored.State.Json}}}""", "application/json", Encoding.UTF8);
        });
        return v2;
    }

    private static async Task<IResult> SetAsync(
        HttpRequest request, IOptions<SupervisorOptions> options, IOptions<CloudOptions> cloud, TargetStateStore store, CancellationToken cancellationToken)
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

        var parsed = TargetStateV2.IsV2(body)
            ? TargetStateV2.Parse(body, await DeviceUuidAsync(cloud.Value, store, cancellationToken).ConfigureAwait(false))
            : TargetStateParser.Parse(body);
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

    /// <summary>
    /// A v2 document names no device. balena uses the device's provisioned uuid; here it is the cloud's
    /// <c>Supervisor:Cloud:DeviceUuid</c> when set, else the uuid the device's current target gives, else a new one
    /// (kept from then on as part of the stored target), so that <c>BALENA_DEVICE_UUID</c> stays put across pushes.
    /// </summary>
    private static async Task<string> DeviceUuidAsync(CloudOptions cloud, TargetStateStore store, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(cloud.DeviceUuid))
        {
            return cloud.DeviceUuid;
        }

        var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        return stored?.State.DeviceUuid ?? Guid.NewGuid().ToString("N");
    }
}
