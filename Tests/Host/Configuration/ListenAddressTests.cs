using Supervisor.Host.Configuration;

namespace Supervisor.Tests.Host.Configuration;

public class ListenAddressTests
{
    [Theory]
    [InlineData("http://0.0.0.0:48484", 48484)]
    [InlineData("http://127.0.0.1:5000;http://[::1]:6000", 5000)]
    [InlineData("http://*:8080", 8080)]
    [InlineData("http://+:9090", 9090)]
    [InlineData("http://localhost", 80)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("not a url", null)]
    public void The_first_address_gives_the_port(string? urls, int? port)
    {
        Assert.Equal(port, ListenAddress.Port(urls));
    }
}
