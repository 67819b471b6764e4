using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Activities.Engine;

namespace Supervisor.Tests.Activities.Engine;

public sealed class DockerEngineUnreachableTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("supervisor-nosocket-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_missing_socket_is_reported_at_once_not_after_the_request_timeout()
    {
        var socket = Path.Combine(_folder.FullName, "docker.sock");
        var options = new DockerEngineOptions { DockerHost = $"unix://{socket}", EngineRequestTimeout = TimeSpan.FromMinutes(2) };
        using var engine = new DockerEngine(options, null, NullLogger<DockerEngine>.Instance);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EngineUnreachableException>(() => engine.PingAsync());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}, the request timeout was 2 minutes");
        Assert.Contains(socket, error.Message, StringComparison.Ordinal);
        Assert.Contains("dockerd is running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_nobody_listens_on_is_refused_at_once()
    {
        var socket = Path.Combine(_folder.FullName, "stale.sock");

        // A socket file left behind by a dead engine: it exists, but nothing accepts on it.
        using (var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        }

        var options = new DockerEngineOptions { DockerHost = $"unix://{socket}", EngineRequestTimeout = TimeSpan.FromMinutes(2) };
        using var engine = new DockerEngine(options, null, NullLogger<DockerEngine>.Instance);

        var error = await Assert.ThrowsAsync<EngineUnreachableException>(() => engine.ListImagesAsync());

        Assert.Contains("list images", error.Message, StringComparison.Ordinal);
    }
}
