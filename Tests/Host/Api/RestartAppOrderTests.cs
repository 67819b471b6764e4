using System.Net;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// restart-app against the real engine with services that share each other's network: each is created and started
/// after the one whose network it joins, which the engine requires (a container cannot join the network of one
/// that is not running).
/// </summary>
public sealed class RestartAppOrderTests : IAsyncLifetime
{
    private ActionDevice _device = null!;

    // Listed with the dependants first, so that neither the release's order nor the engine's listing gives the right one.
    public async Task InitializeAsync() => _device = await ActionDevice.StartAsync(
        "restart-order", ["web", "api", "vpn"], ["vpn", "api", "web"],
        networkModes: new Dictionary<string, string> { ["web"] = "service:api", ["api"] = "service:vpn" });

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task Restart_recreates_every_service_and_starts_each_after_the_one_whose_network_it_shares()
    {
        var before = new Dictionary<string, string>();
        foreach (var service in new[] { "web", "api", "vpn" })
        {
            before[service] = (await _device.ContainerAsync(service)).Id;
        }

        using var response = await _device.PostAsync($"/v2/applications/{_device.AppId}/restart");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var after = new Dictionary<string, (string Id, bool Running, DateTime StartedAt)>();
        foreach (var service in new[] { "web", "api", "vpn" })
        {
            after[service] = await _device.ContainerAsync(service);
            Assert.NotEqual(before[service], after[service].Id);
            Assert.True(after[service].Running, $"{service} is not running after the restart");
        }

        Assert.True(
            after["vpn"].StartedAt <= after["api"].StartedAt && after["api"].StartedAt <= after["web"].StartedAt,
            $"vpn {after["vpn"].StartedAt:O}, api {after["api"].StartedAt:O}, web {after["web"].StartedAt:O}");
    }
}
