using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// A loopback TCP proxy in front of the test registry that passes answers on at a set rate, so
/// that a pull takes long enough to be interrupted on purpose. The engine treats any
/// 127.0.0.0/8 registry as plain HTTP, so images are pulled through it as <c>127.0.0.1:PORT/...</c>.
/// </summary>
public sealed class ThrottledProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly int _bytesPerSecond;

    public ThrottledProxy(string target, int bytesPerSecond)
    {
        var parts = target.Split(':');
        (_targetHost, _targetPort) = (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        _bytesPerSecond = bytesPerSecond;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The proxy's address, to use as the registry part of image names.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

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
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                var token = _stop.Token;
                var requests = client.GetStream().CopyToAsync(upstream.GetStream(), token);
                var answers = ThrottledCopyAsync(upstream.GetStream(), client.GetStream(), token);
                await Task.WhenAny(requests, answers);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // One side closed.
            }
        }
    }

    private async Task ThrottledCopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var clock = Stopwatch.StartNew();
        long sent = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
            var due = TimeSpan.FromSeconds((double)sent / _bytesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
        }
    }
}
