using System.Diagnostics;
using System.Text;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// balena's own command-line client, installed by <c>scripts/balena-cli.sh</c> (once, into a cache folder)
/// and run as a child process with its own settings folder and no analytics, so that it never reaches for
/// balena's cloud.
/// </summary>
public sealed class BalenaCli
{
    private readonly string _program;
    private readonly string _settings;

    private BalenaCli(string program, string settings)
    {
        _program = program;
        _settings = settings;
    }

    /// <summary>Runs the install script (quick once the cache holds the client) and returns the client.</summary>
    public static async Task<BalenaCli> InstallAsync(string settingsFolder)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "balena-cli.sh");
        var (exitCode, output, errors) = await RunAsync("bash", [script], Directory.GetCurrentDirectory(), new Dictionary<string, string>(), TimeSpan.FromMinutes(10));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with {exitCode}:\n{errors}");
        }

        return new BalenaCli(output.Trim(), settingsFolder);
    }

    /// <summary>Runs <c>balena ARGS</c> in <paramref name="folder"/> and waits for it to end.</summary>
    public Task<(int ExitCode, string Output, string Errors)> RunAsync(string folder, TimeSpan timeout, params string[] arguments) =>
        RunAsync(_program, arguments, folder, Environment(), timeout);

    /// <summary>Starts <c>balena ARGS</c> that runs until killed (e.g. <c>device logs</c>); lines go to <paramref name="onLine"/>.</summary>
    public Process Start(Action<string> onLine, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(onLine);
        var process = new Process { StartInfo = StartInfo(_program, arguments, Directory.GetCurrentDirectory(), Environment()) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The checkout the tests run from: the first parent of the build folder that holds Supervisor.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Supervisor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Supervisor.sln above {AppContext.BaseDirectory}: the tests run from a build of the repository.");
    }

    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["BALENARC_DATA_DIRECTORY"] = _settings,
        ["BALENARC_NO_ANALYTICS"] = "1",
        ["BALENARC_NO_SENTRY"] = "1",
        ["NO_COLOR"] = "1",
    };

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static async Task<(int, string, string)> RunAsync(
        string program, IEnumerable<string> arguments, string folder, Dictionary<string, string> environment, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = StartInfo(program, arguments, folder, environment) };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { errors.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output)
            {
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end within {timeout.TotalSeconds} s:\n{output}\n{errors}");
            }
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString(), errors.ToString());
        }
    }
}
