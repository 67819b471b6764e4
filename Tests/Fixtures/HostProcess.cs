using System.Diagnostics;
using System.Text;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// The real supervisor program as a child process (the build's <c>Supervisor.Host.dll</c>), so
/// that a test can kill it with SIGKILL, as a power cut would, and start it again on the same data.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private HostProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>What the program wrote to its standard error alone.</summary>
    public string Errors
    {
        get
        {
            lock (_output)
            {
                return _errors.ToString();
            }
        }
    }

    public static HostProcess Start(params string[] arguments) => Start(listenOnEveryAddress: false, arguments);

    /// <param name="listenOnEveryAddress">
    /// Listen on every address of the machine (as the supervisor does by default), so that containers reach it at
    /// the host's address on their network; <see cref="Url"/> stays the loopback one.
    /// </param>
    public static HostProcess Start(bool listenOnEveryAddress, params string[] arguments)
    {
        var port = FreeLoopbackPort.Find();
        var url = $"http://127.0.0.1:{port}";
        return Launch(listenOnEveryAddress ? $"http://0.0.0.0:{port}" : url, url, arguments);
    }

    /// <summary>Listens on <paramref name="url"/> alone, e.g. balena's port 48484 on a loopback address of the test's own.</summary>
    public static HostProcess StartOn(Uri url, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.GetLeftPart(UriPartial.Authority);
        return Launch(text, text, arguments);
    }

    private static HostProcess Launch(string listenUrl, string url, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Supervisor.Host.dll"));
        start.ArgumentList.Add($"--urls={listenUrl}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, url);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data, toErrors: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until <c>/ping</c> answers, or fails with what the program printed.</summary>
    /// <summary>
    /// How long a start after a SIGKILL may take to answer. A Hangfire lock the killed process held
    /// (a job's state lock, taken while a job changes state) lives on in hangfire.db until its
    /// lifetime (30 s) runs out, and the start-up requeue of the jobs it left Processing waits for
    /// it; on a loaded two-core machine the start itself can take as long again.
    /// </summary>
    public static readonly TimeSpan StartAfterKill = TimeSpan.FromSeconds(120);

    public async Task WaitUntilUpAsync(HttpClient client, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The supervisor exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"{Url}/ping"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The supervisor did not answer /ping within {timeout.TotalSeconds} s:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as on a power cut.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line, bool toErrors = false)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
                if (toErrors)
                {
                    _errors.AppendLine(line);
                }
            }
        }
    }
}
