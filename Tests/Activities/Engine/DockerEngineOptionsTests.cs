using Supervisor.Activities.Engine;

namespace Supervisor.Tests.Activities.Engine;

public sealed class DockerEngineOptionsTests
{
    [Theory]
    [InlineData("unix:///run/custom.sock", "unix:///run/other.sock", "unix:///run/custom.sock")]
    [InlineData("", "unix:///run/other.sock", "unix:///run/other.sock")]
    [InlineData(null, "tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375/")]
    [InlineData(null, null, "unix:///var/run/docker.sock")]
    [InlineData("  ", "", "unix:///var/run/docker.sock")]
    [InlineData("http://127.0.0.1:2375", null, "http://127.0.0.1:2375/")]
    public void The_setting_wins_over_DOCKER_HOST_which_wins_over_the_default(string? setting, string? variable, string expected)
    {
        var options = new DockerEngineOptions { DockerHost = setting };

        Assert.Equal(expected, options.ResolveEndpoint(variable).ToString());
    }

    [Theory]
    [InlineData("/var/run/docker.sock")]
    [InlineData("ssh://pi@device")]
    [InlineData("docker.sock")]
    public void An_endpoint_that_is_not_one_names_the_setting_and_the_expected_form(string value)
    {
        var options = new DockerEngineOptions { DockerHost = value };

        var error = Assert.Throws<InvalidOperationException>(() => options.ResolveEndpoint(null));

        Assert.Contains($"\"{value}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supervisor:DockerHost", error.Message, StringComparison.Ordinal);
        Assert.Contains("unix:///path/to/docker.sock", error.Message, StringComparison.Ordinal);
    }
}
