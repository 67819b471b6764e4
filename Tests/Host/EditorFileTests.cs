using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>
/// What editors leave in the workflows folder (Emacs's dangling <c>.#x.json</c> lock link, Vim's
/// swap file, back-ups) and links to nothing: no definitions, neither at start nor while running,
/// and never a reason for the host to stop.
/// </summary>
public sealed class EditorFileTests : IDisposable
{
    private const string Key = "editor-test-key";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("supervisor-editor-");

    private string Workflows => Path.Combine(_root.FullName, "workflows");

    public void Dispose() => _root.Delete(recursive: true);

    private static string Greet(int version) => $$"""
        { "id": "greet", "version": {{version}}, "start": "respond",
          "activities": { "respond": { "type": "Respond", "inputs": { "statusCode": 200, "body": "v{{version}}" } } } }
        """;

    private static string Marker => """
        { "id": "marker", "version": 1, "start": "mark", "activities": { "mark": { "type": "Mark", "inputs": { "label": "x" } } } }
        """;

    [Fact]
    public async Task Editor_files_and_dangling_links_present_at_start_are_ignored_and_the_definitions_are_served()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["marker"] = Marker });
        File.CreateSymbolicLink(Path.Combine(host.WorkflowsDir, ".#marker.json"), "someone@host.1234:1700000000");
        File.CreateSymbolicLink(Path.Combine(host.WorkflowsDir, "gone.json"), Path.Combine(host.WorkflowsDir, "no-such-file.json"));
        await File.WriteAllTextAsync(Path.Combine(host.WorkflowsDir, ".marker.json.swp"), "\0binary swap");
        await File.WriteAllTextAsync(Path.Combine(host.WorkflowsDir, "marker.json~"), "{ not json");
        await File.WriteAllTextAsync(Path.Combine(host.WorkflowsDir, ".hidden.json"), "{ not json");

        using var client = host.CreateAuthorizedClient();

        var listed = await client.GetFromJsonAsync<JsonElement>("/v3/workflows");
        Assert.Equal(["marker"], listed.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_dangling_lock_link_created_while_running_leaves_the_host_running_and_watching()
    {
        Directory.CreateDirectory(Workflows);
        await File.WriteAllTextAsync(Path.Combine(Workflows, "greet.json"), Greet(1));
        await using var host = HostProcess.Start(
            $"--Supervisor:DataDir={Path.Combine(_root.FullName, "data")}",
            $"--Supervisor:WorkflowsDir={Workflows}",
            $"--Supervisor:ApiKey={Key}",
            $"--Supervisor:DockerHost=unix://{_root.FullName}/no-engine.sock");
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await host.WaitUntilUpAsync(client, TimeSpan.FromSeconds(60));

        async Task<int> VersionAsync()
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"The supervisor exited with {host.ExitCode}:\n{host.Output}");
            }

            try
            {
                var greet = await client.GetFromJsonAsync<JsonElement>($"{host.Url}/v3/workflows/greet");
                return greet.GetProperty("version").GetInt32();
            }
            catch (HttpRequestException)
            {
                var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"The supervisor exited with {exitCode}:\n{host.Output}");
            }
        }

        // As Emacs does on the first change to greet.json; then a link to nothing that is named like a definition.
        File.CreateSymbolicLink(Path.Combine(Workflows, ".#greet.json"), "someone@host.1234:1700000000");
        File.CreateSymbolicLink(Path.Combine(Workflows, "later.json"), Path.Combine(Workflows, "no-such-file.json"));
        Assert.Equal(1, await VersionAsync());

        // The save: the watcher still loads what changes.
        await File.WriteAllTextAsync(Path.Combine(Workflows, "greet.json"), Greet(2));
        await Eventually.GetAsync(VersionAsync, v => v == 2, TimeSpan.FromSeconds(15), "version 2 to be loaded");

        using var response = await client.PostAsJsonAsync($"{host.Url}/v3/workflows/greet/runs", new { });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.False(host.HasExited);
    }
}
