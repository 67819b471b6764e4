using System.Net;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ping_answers_OK_without_a_key()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>
        {
            ["Supervisor:DockerHost"] = EngineEnvironment.FromEnvironment().DockerHost,
        });
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/ping", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthy_answers_200_with_an_empty_body_while_the_engine_runs()
    {
        await using var host = new SupervisorHostFactory(new Dictionary<string, string?>
        {
            ["Supervisor:DockerHost"] = EngineEnvironment.FromEnvironment().DockerHost,
        });
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/v1/healthy", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthy_answers_500_Unhealthy_when_the_engine_is_unreachable()
    {
        var folder = Directory.CreateTempSubdirectory("supervisor-nohost-");
        try
        {
            await using var host = new SupervisorHostFactory(new Dictionary<string, string?>
            {
                ["Supervisor:DockerHost"] = $"unix://{folder.FullName}/docker.sock",
            });
            using var client = host.CreateClient();

            using var response = await client.GetAsync(new Uri("/v1/healthy", UriKind.Relative));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
