using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Host.Cli;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Host.Cli;

/// <summary>The program's verbs, run in-process against a host's services (its configuration, data and workflows).</summary>
public sealed class SupervisorCommandLineTests
{
    private const string Simple = """
        { "id": "simple", "version": 1, "start": "choose",
          "activities": { "choose": { "type": "Choose", "inputs": { "outcome": "Left" }, "next": { "Left": "left", "Right": null } },
                          "left": { "type": "Mark", "inputs": { "label": "left" } } } }
        """;

    private static async Task<(int Code, string Output, string Errors)> RunAsync(SupervisorHostFactory host, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await SupervisorCommandLine.RunAsync(args, host.Services, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Validate_passes_a_valid_folder_and_lists_every_error_of_an_invalid_one()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["simple"] = Simple });
        using var client = host.CreateClient();

        var valid = await RunAsync(host, "workflows", "validate");
        Assert.Equal(0, valid.Code);
        Assert.Contains("1 workflow definitions", valid.Output, StringComparison.Ordinal);

        var invalid = Directory.CreateDirectory(Path.Combine(host.Root, "invalid")).FullName;
        await File.WriteAllTextAsync(Path.Combine(invalid, "a.json"), """{ "id": "a", "version": 0, "start": "x", "activities": { "x": { "type": "Nope" } } }""");
        await File.WriteAllTextAsync(Path.Combine(invalid, "b.json"), "{ not json");
        var result = await RunAsync(host, "workflows", "validate", invalid);

        Assert.Equal(1, result.Code);
        Assert.Contains("2 errors in 2 workflow definition files", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(invalid, "a.json")}: /version:", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(invalid, "b.json")}: /: invalid JSON", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_prints_the_mermaid_flowchart_and_names_unknown_ids()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["simple"] = Simple });
        using var client = host.CreateClient();

        var graph = await RunAsync(host, "workflows", "graph", "simple");
        Assert.Equal(0, graph.Code);
        Assert.Equal(WorkflowGraph.ToMermaid(host.Services.GetRequiredService<IWorkflowCatalog>().Find("simple")!), graph.Output);
        Assert.Contains("-->|Left|", graph.Output, StringComparison.Ordinal);

        var unknown = await RunAsync(host, "workflows", "graph", "nothing");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("There is no workflow \"nothing\"", unknown.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_list_and_show_read_the_journal()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["simple"] = Simple });
        using var client = host.CreateAuthorizedClient();
        using var response = await client.PostAsync(new Uri("/v3/workflows/simple/runs", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        var (runs, _) = await host.Services.GetRequiredService<WorkflowJournal>().ListRunsAsync(new RunQuery());
        var runId = Assert.Single(runs).Id;

        var list = await RunAsync(host, "runs", "list", "--workflow", "simple");
        Assert.Equal(0, list.Code);
        Assert.Contains(runId, list.Output, StringComparison.Ordinal);
        Assert.Contains("Completed", list.Output, StringComparison.Ordinal);
        Assert.Contains("1 of 1 runs", list.Output, StringComparison.Ordinal);

        var show = await RunAsync(host, "runs", "show", runId);
        Assert.Equal(0, show.Code);
        Assert.Contains("1. choose (Choose): Left", show.Output, StringComparison.Ordinal);
        Assert.Contains("2. left (Mark): Done", show.Output, StringComparison.Ordinal);

        var missing = await RunAsync(host, "runs", "show", "nothing");
        Assert.Equal(1, missing.Code);
    }

    [Fact]
    public async Task Show_of_a_refusal_that_was_counted_rather_than_kept_says_so_with_the_count()
    {
        const string Refused = """
            { "id": "refused", "version": 1, "start": "locked",
              "activities": { "locked": { "type": "Fail", "inputs": { "reason": "Locked", "message": "Updates are locked" } } } }
            """;
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["refused"] = Refused });
        using var client = host.CreateAuthorizedClient();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync(new Uri("/v3/workflows/refused/runs?wait=10", UriKind.Relative), null);
            ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!);
        }

        var journal = host.Services.GetRequiredService<WorkflowJournal>();
        var notKept = await Eventually.GetAsync(
            async () => await Task.WhenAll(ids.Select(async runId => (runId, Kept: await journal.GetRunAsync(runId) is not null, Counted: (await journal.ListRefusalsAroundAsync(runId)).Sum(c => c.Count)))),
            all => all.Sum(r => r.Kept ? 1 : 0) >= 1 && all.Max(r => r.Counted) == ids.Count,
            TimeSpan.FromSeconds(10),
            "the three refusals written behind, at least one kept and all counted");
        var counted = notKept.First(r => !r.Kept).runId;

        var show = await RunAsync(host, "runs", "show", counted);

        Assert.Equal(1, show.Code);
        Assert.Contains($"There is no run \"{counted}\".", show.Output, StringComparison.Ordinal);
        Assert.Contains("runs of refused refused (Locked) were counted, not kept", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misused_verb_exits_2_with_the_parser_message()
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateClient();

        var result = await RunAsync(host, "runs", "show");

        Assert.Equal(2, result.Code);
        Assert.NotEmpty(result.Errors);
    }
}
