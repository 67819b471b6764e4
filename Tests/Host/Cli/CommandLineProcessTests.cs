using System.Diagnostics;

namespace Supervisor.Tests.Host.Cli;

/// <summary>
/// The program's command line as an operator meets it: the build's <c>Supervisor.Host.dll</c> started as a process,
/// with a data folder of the test's own that the service never ran with.
/// </summary>
public sealed class CommandLineProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("supervisor-cli-").FullName;

    private string DataDir => Path.Combine(_root, "data");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("--help", "Without a verb it runs the service")]
    [InlineData("-h", "Commands:")]
    [InlineData("runs list --help", "List runs, newest first.")]
    [InlineData("plan -h", "Show the plan that would run now")]
    [InlineData("workflows validate --help", "Check every definition in a folder")]
    public async Task Usage_is_printed_with_exit_0_touching_no_file(string arguments, string expected)
    {
        var (code, output, errors) = await RunAsync([.. arguments.Split(' '), $"--Supervisor:DataDir={DataDir}"]);

        Assert.True(code == 0, errors);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDir), "asking for usage created the data folder");
    }

    [Theory]
    [InlineData("runs list")]
    [InlineData("runs show 0123abcd")]
    [InlineData("plan")]
    public async Task A_read_only_verb_on_a_data_folder_without_a_database_says_so_in_one_line_and_creates_nothing(string arguments)
    {
        var (code, output, errors) = await RunAsync([.. arguments.Split(' '), $"--Supervisor:DataDir={DataDir}"]);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal(
            $"There is no supervisor database at {Path.Combine(DataDir, "supervisor.db")}: the service has not run with this data folder (give another with --Supervisor:DataDir=PATH).",
            errors.TrimEnd());
        Assert.False(Directory.Exists(DataDir), "the verb created the data folder");
    }

    [Fact]
    public async Task Plan_without_an_engine_or_with_a_missing_file_fails_in_one_line_without_a_stack_trace()
    {
        var target = Path.Combine(_root, "target.json");
        await File.WriteAllTextAsync(target, """{ "device-1": { "name": "d", "config": {}, "apps": {} } }""");

        var noEngine = await RunAsync(["plan", "--target", target, $"--Supervisor:DataDir={DataDir}", $"--Supervisor:DockerHost=unix://{Path.Combine(_root, "no-engine.sock")}"]);
        var noFile = await RunAsync(["plan", "--target", Path.Combine(_root, "missing.json"), $"--Supervisor:DataDir={DataDir}"]);

        Assert.Equal(1, noEngine.Code);
        Assert.StartsWith("Cannot read the device: Cannot reach the Docker engine", noEngine.Errors, StringComparison.Ordinal);
        Assert.Single(noEngine.Errors.TrimEnd().Split('\n'));
        Assert.Equal(1, noFile.Code);
        Assert.StartsWith($"Cannot read the target state {Path.Combine(_root, "missing.json")}:", noFile.Errors, StringComparison.Ordinal);
        Assert.Single(noFile.Errors.TrimEnd().Split('\n'));
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Supervisor.Host.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"supervisor {string.Join(' ', arguments)} did not exit within a minute: {await output}{await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
