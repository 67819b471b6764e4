using Supervisor.Host.Api.Actions;

namespace Supervisor.Host.Api;

/// <summary>
/// balena's host-OS actions (reboot, shutdown, host configuration, VPN) act on
/// balenaOS itself, which this supervisor does not manage: they answer 501 saying so, rather than
/// 404, so that a client can tell "not supported here" from a mistyped path.
/// </summary>
public static class HostOsEndpoints
{
    public static RouteGroupBuilder MapHostOsEndpoints(this RouteGroupBuilder root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.MapPost("/v1/reboot", () => OutOfScope("Rebooting the device"));
        root.MapPost("/v1/shutdown", () => OutOfScope("Shutting the device down"));
        root.MapGet("/v1/device/host-config", () => OutOfScope("The host OS configuration (hostname, proxy)"));
        root.MapPatch("/v1/device/host-config", () => OutOfScope("The host OS configuration (hostname, proxy)"));
        root.MapGet("/v2/device/vpn", () => OutOfScope("The VPN status"));
        return root;
    }

    private static IResult OutOfScope(string what) =>
        RunAnswers.Failed(StatusCodes.Status501NotImplemented,
            $"{what} is a host-OS action, which is out of scope for this supervisor: it manages containers, not the host operating system.");
}
