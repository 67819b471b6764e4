using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervisor.Tests.Fixtures.Activities;
using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// The real host on ASP.NET's test server, with a data directory and a workflows folder of its
/// own (deleted on dispose), the test activities, and settings given per instance, so that no two
/// tests share configuration, databases or Hangfire storage.
/// </summary>
public sealed class SupervisorHostFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-api-key";

    private readonly IReadOnlyDictionary<string, string?> _settings;

    public SupervisorHostFactory(IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyDictionary<string, string>? workflows = null)
    {
        Root = Directory.CreateTempSubdirectory("supervisor-host-").FullName;
        Directory.CreateDirectory(WorkflowsDir);
        foreach (var (name, json) in workflows ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(WorkflowsDir, name + ".json"), json);
        }

        var all = new Dictionary<string, string?>
        {
            ["Supervisor:DataDir"] = DataDir,
            ["Supervisor:WorkflowsDir"] = WorkflowsDir,
            ["Supervisor:ApiKey"] = ApiKey,
            ["Supervisor:DockerHost"] = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? $"unix://{Root}/no-engine.sock",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        // Containers are this host's alone: a reconciler in another test never takes them for
        // leftovers. A host restarted on the same data directory is the same instance.
        all.TryAdd("Supervisor:Instance", "test-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(all["Supervisor:DataDir"]!)))[..12]);
        _settings = all;
    }

    public string Root { get; }

    /// <summary>Definitions as shipped in <c>workflow-definitions/</c> (copied beside the tests), by id.</summary>
    public static Dictionary<string, string> Shipped(params string[] ids) =>
        ids.ToDictionary(id => id, id => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflow-definitions", id + ".json")));

    public string DataDir => Path.Combine(Root, "data");

    public string WorkflowsDir => Path.Combine(Root, "workflows");

    public Recorder Recorder => Services.GetRequiredService<Recorder>();

    /// <summary>Everything this host logged at Information and above.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services => services
            .AddSingleton<Recorder>()
            .AddWorkflowActivity<Echo>()
            .AddWorkflowActivity<Choose>()
            .AddWorkflowActivity<Boom>()
            .AddWorkflowActivity<Mark>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Hangfire's SQLite storage may still hold its file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
