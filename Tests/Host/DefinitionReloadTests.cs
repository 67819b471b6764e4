using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Tests.Host;

/// <summary>Definitions at startup and while running: invalid ones stop the host or are refused; valid edits take effect.</summary>
public sealed class DefinitionReloadTests
{
    private static string Marker(int version, string label) => $$"""
        { "id": "marker", "version": {{version}}, "start": "mark",
          "activities": { "mark": { "type": "Mark", "inputs": { "label": "{{label}}" } } } }
        """;

    [Fact]
    public async Task An_invalid_definition_stops_the_host_from_starting_naming_file_location_and_reason()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string>
        {
            ["good"] = Marker(1, "x"),
            ["broken"] = """{ "id": "broken", "version": 1, "start": "a", "activities": { "a": { "type": "NoSuchType" } } }""",
        });

        Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var expected = $"{Path.Combine(host.WorkflowsDir, "broken.json")}: /activities/a/type: activity 'a' has unknown type 'NoSuchType'";
        Assert.Contains(host.Logs.Messages, m => m.Contains(nameof(DefinitionValidationException), StringComparison.Ordinal) && m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_valid_edit_is_loaded_while_running_and_an_invalid_one_is_refused_keeping_the_last_good_set()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["marker"] = Marker(1, "v1") });
        using var client = host.CreateAuthorizedClient();

        async Task<int> VersionAsync() => (await client.GetFromJsonAsync<JsonElement>("/v3/workflows/marker")).GetProperty("version").GetInt32();

        Assert.Equal(1, await VersionAsync());
        await File.WriteAllTextAsync(Path.Combine(host.WorkflowsDir, "marker.json"), Marker(2, "v2"));
        await Eventually.GetAsync(VersionAsync, v => v == 2, TimeSpan.FromSeconds(15), "version 2 to be loaded");

        await File.WriteAllTextAsync(Path.Combine(host.WorkflowsDir, "marker.json"), Marker(3, "v3").Replace("\"Mark\"", "\"Marx\"", StringComparison.Ordinal));
        // The watcher may first see the file half written (refused as malformed JSON): wait for the
        // refusal that names the unknown type.
        await Eventually.TrueAsync(
            () => host.Logs.Messages.Any(m => m.Contains("unknown type 'Marx'", StringComparison.Ordinal) && m.Contains("marker.json", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15),
            "the refusal naming the unknown type to be logged");
        Assert.Contains(host.Logs.Messages, m => m.Contains("Refused the changed workflow definitions", StringComparison.Ordinal));
        Assert.Equal(2, await VersionAsync());

        using var response = await client.PostAsJsonAsync("/v3/workflows/marker/runs", new { });
        response.EnsureSuccessStatusCode();
        Assert.Equal(["v2"], host.Recorder.Started);
    }
}
