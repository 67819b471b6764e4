using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Host.Cli;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>The plan that would run now, through the API and the CLI, against the real engine.</summary>
public sealed class PlanTests : IAsyncLifetime
{
    private readonly TestImageFactory _images = new("plan");
    private readonly string _lockRoot = Path.Combine(Path.GetTempPath(), "supervisor-plan-locks-" + Guid.NewGuid().ToString("N"));
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;
    private string _target = null!;

    public async Task InitializeAsync()
    {
        var image = await _images.PublishAsync("main");
        _target = $$"""
            { "device-1": { "name": "d", "config": {}, "apps": { "app-1": { "id": 7, "name": "fleet", "class": "fleet",
              "releases": { "commit-1": { "id": 2, "services": { "main": { "id": 3, "image_id": 4, "image": "{{image.TagName}}@{{image.Digest}}" } } } } } } } }
            """;
        // The plan is looked at, never applied.
        _host = new SupervisorHostFactory(new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot, ["Supervisor:Reconciler:Enabled"] = "false" });
        _client = _host.CreateAuthorizedClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _images.DisposeAsync();
        if (Directory.Exists(_lockRoot))
        {
            Directory.Delete(_lockRoot, recursive: true);
        }
    }

    [Fact]
    public async Task The_plan_for_a_first_install_fetches_then_creates_and_starts_without_running_anything()
    {
        var none = await _client.GetFromJsonAsync<JsonElement>("/v3/plan");
        Assert.Equal(JsonValueKind.Null, none.GetProperty("target").ValueKind);

        using (var posted = await _client.PostAsync(new Uri("/v2/local/target-state", UriKind.Relative), new StringContent(_target, Encoding.UTF8, "application/json")))
        {
            posted.EnsureSuccessStatusCode();
        }

        var plan = await _client.GetFromJsonAsync<JsonElement>("/v3/plan");

        Assert.False(plan.GetProperty("isEmpty").GetBoolean());
        var fetch = Assert.Single(plan.GetProperty("fetches").EnumerateArray());
        Assert.Equal("fetch-image", fetch.GetProperty("workflow").GetString());
        Assert.Equal("main", fetch.GetProperty("input").GetProperty("serviceName").GetString());
        Assert.Equal(["create-network", "create-service", "start-service"], plan.GetProperty("serviceChanges").EnumerateArray().Select(s => s.GetProperty("workflow").GetString()));
        Assert.Empty(plan.GetProperty("removals").EnumerateArray());
        var runs = await _client.GetFromJsonAsync<JsonElement>("/v3/runs");
        Assert.Equal(0, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_user_lock_file_in_an_apps_lock_folder_marks_the_app_locked()
    {
        using var client = _host.CreateClient();
        var target = Supervisor.Reconciler.Target.TargetStateParser.Parse(_target).State!;
        var reader = _host.Services.GetRequiredService<Supervisor.Reconciler.Current.CurrentStateReader>();
        Assert.Empty((await reader.ReadAsync(target)).LockedApps);

        // The app's legacy id names its lock folder, as balena does.
        Directory.CreateDirectory(Path.Combine(_lockRoot, "7", "main"));
        await File.WriteAllTextAsync(Path.Combine(_lockRoot, "7", "main", "resin-updates.lock"), string.Empty);

        Assert.Equal(["app-1"], (await reader.ReadAsync(target)).LockedApps);
    }

    [Fact]
    public async Task The_plan_verb_reads_a_target_file_and_prints_the_phases()
    {
        using var client = _host.CreateClient();
        var file = Path.Combine(_host.Root, "target.json");
        await File.WriteAllTextAsync(file, _target);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await SupervisorCommandLine.RunAsync(["plan", "--target", file], _host.Services, output, errors);

        Assert.Equal(0, code);
        Assert.Contains("Fetch (1):", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Change services (3):", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("create-network default@", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("create-service main@commit-1", output.ToString(), StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "{ \"local\": {} }");
        using var invalidOutput = new StringWriter();
        using var invalidErrors = new StringWriter();
        Assert.Equal(1, await SupervisorCommandLine.RunAsync(["plan", "--target", file], _host.Services, invalidOutput, invalidErrors));
        Assert.Contains("is not a valid target state", invalidErrors.ToString(), StringComparison.Ordinal);
    }
}
