using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Supervisor.Tests.Host;

/// <summary>
/// The real host on ASP.NET's test server, configured per test through the command-line style
/// settings it would get on a device, so that no two tests share configuration.
/// </summary>
public sealed class SupervisorHostFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
