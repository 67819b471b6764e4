using System.Net;
using System.Net.Sockets;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// The test engine's unix socket made reachable on a TCP address, as a balenaOS development image exposes
/// its engine on port 2375: balena's CLI builds a local-mode push there. Each connection is relayed both
/// ways, and a side that stops sending is half-closed on the other, so that a request body's end reaches
/// the engine and the engine's answer still reaches the client.
/// </summary>
public sealed class EngineTcpPort : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _socketPath;

    public EngineTcpPort(IPAddress address, int port, string dockerHost)
    {
        ArgumentNullException.ThrowIfNull(dockerHost);
        const string Scheme = "unix://";
        if (!dockerHost.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new ArgumentException($"DOCKER_HOST '{dockerHost}' is not a unix socket; the test engine from scripts/engine.sh is", nameof(dockerHost));
        }

        _socketPath = dockerHost[Scheme.Length..];
        _listener = new TcpListener(address, port);
        _listener.Start();
        _ = AcceptAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), _stop.Token);
                await Task.WhenAll(PipeAsync(client, engine), PipeAsync(engine, client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // One side went away.
            }
        }
    }

    private async Task PipeAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A reset on one side ends both directions.
            from.Close();
            to.Close();
        }
    }
}
