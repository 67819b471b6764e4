using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Supervisor.Bench.Measurements;

/// <summary>
/// The real host, built in Release (<c>Host/bin/Release/net10.0/Supervisor.Host.dll</c>, which
/// building this project builds), started as a child process on a free loopback port.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly PosixSignalRegistration[] _stopSignals;
    private readonly Lock _gate = new();
    private bool _disposed;

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;

        // A bench stopped by a signal does not reach its disposals: stop the host on the way out,
        // without cancelling the signal, so that it does not outlive the bench.
        _stopSignals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => Stop()))];
    }

    public Uri Address { get; }

    /// <summary>The host's process id (<c>dotnet</c> runs the host in its own process), for reading <c>/proc</c>.</summary>
    public int Id => _process.Id;

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <param name="settings">More configuration, as <c>--Key=value</c> arguments.</param>
    public static HostProcess Start(BenchDirectory directory, string apiKey, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var dll = HostDll();
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            dll,
            $"--urls={address}",
            $"--Supervisor:DataDir={directory.Data}",
            $"--Supervisor:WorkflowsDir={directory.Workflows}",
            $"--Supervisor:ApiKey={apiKey}",

            // The device's log level would put a line per request on the console; the benchmark measures the engine.
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, address);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The host's CPU time so far (user and system), to divide among the requests of a round.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _stopSignals)
        {
            registration.Dispose();
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            KillIfRunning();
            _process.Dispose();
            _disposed = true;
        }
    }

    /// <summary>
    /// Kills the host if it still runs. A signal handler calls it while the bench may be disposing
    /// the host on its own thread, so it never throws for a host already gone.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                KillIfRunning();
            }
        }
    }

    private void KillIfRunning()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited meanwhile.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private static string HostDll()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Supervisor.sln")))
            {
                var dll = Path.Combine(directory.FullName, "Host", "bin", "Release", "net10.0", "Supervisor.Host.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new FileNotFoundException($"Build the host in Release first (dotnet build -c Release Host): {dll} is missing.", dll);
            }
        }

        throw new InvalidOperationException($"No Supervisor.sln above {AppContext.BaseDirectory}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
