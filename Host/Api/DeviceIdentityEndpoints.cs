using Microsoft.Extensions.Options;
using Supervisor.Activities.Services;
using Supervisor.Reconciler.Target;

namespace Supervisor.Host.Api;

/// <summary>
/// What balena's tools ask a device about itself: <c>GET /v2/local/device-info</c> (its architecture and device
/// type, which <c>balena push</c> builds for), <c>GET /v2/device/name</c>, and <c>POST /v1/blink</c> (identify the
/// device; a generic device has no LED to blink, so it is logged and answered as balena answers).
/// </summary>
public static partial class DeviceIdentityEndpoints
{
    public static RouteGroupBuilder MapDeviceIdentity(this RouteGroupBuilder root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.MapGet("/v2/local/device-info", (IOptions<ServiceOptions> services) => Results.Json(new
        {
            status = "success",
            info = new { arch = DeviceArchitecture.Current, deviceType = services.Value.EffectiveDeviceType },
        }))
        .WithName("GetLocalDeviceInfo")
        .WithSummary("The device's architecture (balena's names) and device type (Supervisor:DeviceType)")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized);

        root.MapGet("/v2/device/name", async (TargetStateStore store, CancellationToken cancellationToken) =>
        {
            var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(new { status = "success", deviceName = stored?.State.Name });
        })
        .WithName("GetDeviceName")
        .WithSummary("The device's name as its target gives it; null before any target")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized);

        root.MapPost("/v1/blink", (ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger(LogCategory);
            LogBlink(logger);
            return Results.Text("OK");
        })
        .WithName("Blink")
        .WithSummary("Identify the device: logged, since a generic device has no LED; answers 200 OK as balena does")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized);
        return root;
    }

    private const string LogCategory = "Supervisor.Host.Api.DeviceIdentity";

    [LoggerMessage(Level = LogLevel.Information, Message = "Blink requested (POST /v1/blink): this device has no LED the supervisor drives, so nothing blinks; this line is how to find the device.")]
    private static partial void LogBlink(ILogger logger);
}
