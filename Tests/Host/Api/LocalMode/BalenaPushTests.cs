using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Api.LocalMode;

/// <summary>
/// balena's own CLI against the real supervisor program in local mode and the real engine, as a developer uses
/// it: the supervisor on port 48484 and the engine on port 2375 of a loopback address of the test's own (the
/// CLI knows no other ports), a project folder with a docker-compose.yml, and <c>balena push</c> building on
/// the device's engine and posting balena's v2 local target state. The host checks no API key in local mode
/// (<c>Supervisor:LocalModeWithoutApiKey=true</c>), which is all the CLI needs.
/// </summary>
public sealed class BalenaPushTests : IAsyncLifetime
{
    private static readonly TimeSpan Converges = TimeSpan.FromSeconds(120);

    private readonly TestImageFactory _images = new("balenapush");
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-balena-push-");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _http = new();
    private EngineTcpPort _engine = null!;
    private HostProcess _host = null!;
    private BalenaCli _cli = null!;
    private string _device = null!;

    private string Web => "web" + _suffix;

    private string Worker => "worker" + _suffix;

    private string Project => Path.Combine(_root.FullName, "project");

    public async Task InitializeAsync()
    {
        _cli = await BalenaCli.InstallAsync(Path.Combine(_root.FullName, "balenarc"));
        (_device, _engine) = ClaimDeviceAddress();
        _host = HostProcess.StartOn(
            new Uri($"http://{_device}:48484"),
            $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
            $"--Supervisor:LockRoot={Path.Combine(_root.FullName, "locks")}",
            $"--Supervisor:DockerHost={_images.Environment.DockerHost}",
            "--Supervisor:LocalMode=true",
            "--Supervisor:LocalModeWithoutApiKey=true",
            $"--Supervisor:Instance=balena-push-{_suffix}");
        await _host.WaitUntilUpAsync(_http, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _engine.Dispose();
        _http.Dispose();
        await _images.RemoveContainersAsync(TestLabels.Owner, _images.Prefix);
        foreach (var service in new[] { Web, Worker })
        {
            try
            {
                await _images.Client.Images.DeleteImageAsync($"local_{service}", new ImageDeleteParameters { Force = true });
            }
            catch (DockerImageNotFoundException)
            {
                // Never built: the test stopped before its push.
            }
        }

        await _images.DisposeAsync();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task A_push_runs_both_services_from_the_device_builds_a_changed_Dockerfile_recreates_its_service_alone_and_env_recreates_its_service()
    {
        var port = FreeLoopbackPort.Find();
        var @base = await WriteProjectAsync(port);

        // 1. First push: both services run from the images the CLI built on the device's engine.
        await PushAsync();
        var (webImage, workerImage) = (await ImageIdAsync(Web), await ImageIdAsync(Worker));
        var first = await WaitForAsync(c => c[Web].Image == webImage && c[Worker].Image == workerImage, "both services to run from their builds");
        Assert.Contains("GREETING=hello", first[Web].Config!.Env);
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), first[Web].HostConfig!.PortBindings["80/tcp"].Single().HostPort);

        // 2. The worker's Dockerfile changes: same commit and image name, a new engine image; only the worker is recreated.
        await File.WriteAllTextAsync(Path.Combine(Project, "worker", "Dockerfile"), Dockerfile(@base, "worker", version: 2));
        await PushAsync();
        var newWorkerImage = await ImageIdAsync(Worker);
        Assert.NotEqual(workerImage, newWorkerImage);
        var second = await WaitForAsync(c => c[Worker].Image == newWorkerImage, "the worker to run from its new build");
        Assert.Equal(first[Web].ID, second[Web].ID);
        Assert.NotEqual(first[Worker].ID, second[Worker].ID);

        // 3. --env for the worker alone: the worker is recreated with it, the web service is left as it was.
        await PushAsync("--env", $"{Worker}:KEY=value");
        var third = await WaitForAsync(c => c[Worker].Config?.Env?.Contains("KEY=value") == true, "the worker to run with KEY=value");
        Assert.Equal(first[Web].ID, third[Web].ID);
        Assert.NotEqual(second[Worker].ID, third[Worker].ID);
        Assert.DoesNotContain("KEY=value", third[Web].Config!.Env);

        // balena's GET answers the pushed target in its own shape.
        var target = await _http.GetFromJsonAsync<JsonElement>(new Uri($"http://{_device}:48484/v2/local/target-state"));
        var services = target.GetProperty("state").GetProperty("local").GetProperty("apps").GetProperty("1").GetProperty("services");
        Assert.Equal([Web, Worker], services.EnumerateObject().Select(s => s.Value.GetProperty("serviceName").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Device_logs_shows_what_a_pushed_service_prints()
    {
        await WriteProjectAsync(FreeLoopbackPort.Find());
        await PushAsync();
        await WaitForAsync(c => c.ContainsKey(Web) && c.ContainsKey(Worker), "both services to run");

        var printed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var logs = _cli.Start(
            line => { if (line.Contains($"[{Web}]", StringComparison.Ordinal) && line.Contains("web says hello", StringComparison.Ordinal)) { printed.TrySetResult(line); } },
            "device", "logs", _device);
        try
        {
            var line = await printed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("web says hello", line, StringComparison.Ordinal);
        }
        finally
        {
            logs.Kill(entireProcessTree: true);
            await logs.WaitForExitAsync();
        }
    }

    /// <summary>A free 127.0.0.N where ports 48484 and 2375 are both free; the engine is relayed on its 2375.</summary>
    private static (string Address, EngineTcpPort Engine) ClaimDeviceAddress()
    {
        var engine = EngineEnvironment.FromEnvironment();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var address = new IPAddress([127, 0, 0, (byte)Random.Shared.Next(2, 255)]);
            EngineTcpPort? relay = null;
            try
            {
                using (var probe = new TcpListener(address, 48484))
                {
                    probe.Start();
                }

                relay = new EngineTcpPort(address, 2375, engine.DockerHost);
                return (address.ToString(), relay);
            }
            catch (SocketException)
            {
                relay?.Dispose();
            }
        }

        throw new InvalidOperationException("No 127.0.0.N had ports 48484 and 2375 free after 50 tries.");
    }

    /// <returns>The base image the Dockerfiles build on.</returns>
    private async Task<string> WriteProjectAsync(int webPort)
    {
        var @base = (await _images.PublishAsync("base", "v1", withBusybox: true)).TagName;
        Directory.CreateDirectory(Path.Combine(Project, "web"));
        Directory.CreateDirectory(Path.Combine(Project, "worker"));
        await File.WriteAllTextAsync(Path.Combine(Project, "web", "Dockerfile"), Dockerfile(@base, "web", version: 1));
        await File.WriteAllTextAsync(Path.Combine(Project, "worker", "Dockerfile"), Dockerfile(@base, "worker", version: 1));
        await File.WriteAllTextAsync(Path.Combine(Project, "docker-compose.yml"), $"""
            version: '2.1'
            services:
              {Web}:
                build: ./web
                environment:
                  GREETING: hello
                ports:
                  - "{webPort}:80"
                labels:
                  {TestLabels.Owner}: "{_images.Prefix}"
              {Worker}:
                build: ./worker
                labels:
                  {TestLabels.Owner}: "{_images.Prefix}"

            """);
        return @base;
    }

    // The shell traps SIGTERM so that a stop takes no grace period; ENV VERSION makes a changed build a new image.
    private static string Dockerfile(string @base, string role, int version) => $"""
        FROM {@base}
        ENV ROLE={role} VERSION={version}
        CMD ["sh", "-c", "trap 'exit 0' TERM; while true; do echo \"$ROLE says $GREETING\"; sleep 1 & wait; done"]

        """;

    private async Task PushAsync(params string[] extra)
    {
        var (exitCode, output, errors) = await _cli.RunAsync(Project, TimeSpan.FromMinutes(5), ["push", _device, "--nolive", "--detached", .. extra]);
        Assert.True(exitCode == 0, $"balena push exited with {exitCode}:\n{output}\n{errors}\nsupervisor:\n{_host.Output}");
    }

    private async Task<string> ImageIdAsync(string service) => (await _images.Client.Images.InspectImageAsync($"local_{service}")).ID;

    /// <summary>Waits until every service has one running container and the condition holds; returns them by service name.</summary>
    private async Task<Dictionary<string, ContainerInspectResponse>> WaitForAsync(Func<Dictionary<string, ContainerInspectResponse>, bool> condition, string what) =>
        await Eventually.GetAsync(
            async () =>
            {
                var containers = await _images.Client.Containers.ListContainersAsync(new ContainersListParameters
                {
                    All = true,
                    Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{TestLabels.Owner}={_images.Prefix}"] = true } },
                });
                var byService = containers.GroupBy(c => c.Labels["io.balena.service-name"], StringComparer.Ordinal).ToList();
                if (!byService.All(g => g.Count() == 1 && g.Single().State == "running"))
                {
                    return [];
                }

                var inspected = new Dictionary<string, ContainerInspectResponse>(StringComparer.Ordinal);
                foreach (var group in byService)
                {
                    inspected[group.Key] = await _images.Client.Containers.InspectContainerAsync(group.Single().ID);
                }

                return inspected;
            },
            c => c.ContainsKey(Web) && c.ContainsKey(Worker) && condition(c),
            Converges,
            what);
}
