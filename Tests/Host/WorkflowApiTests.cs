using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host;

/// <summary>The /v3 workflows and runs API and the operators' HTTP triggers, through the real host.</summary>
public sealed class WorkflowApiTests
{
    private const string Greet = """
        {
          "id": "greet", "version": 3, "description": "Says hello.",
          "trigger": { "http": { "method": "POST", "route": "/workflows/greet/{name}" } },
          "start": "echo",
          "activities": {
            "echo":    { "type": "Echo", "inputs": { "text": "$.input.name", "value": "$.input.extra" }, "next": { "Done": "respond" } },
            "respond": { "type": "Respond", "inputs": { "statusCode": 201, "body": "$.activities.echo.output" } }
          }
        }
        """;

    private const string Slow = """
        { "id": "slow", "version": 1, "start": "wait",
          "activities": { "wait": { "type": "Delay", "inputs": { "duration": "00:00:01.500" }, "next": { "Done": "mark" } },
                          "mark": { "type": "Mark", "inputs": { "label": "after-wait" } } } }
        """;

    private const string Locked = """
        { "id": "locked", "version": 1,
          "trigger": { "http": { "method": "GET", "route": "/workflows/locked" } },
          "start": "fail",
          "activities": { "fail": { "type": "Fail", "inputs": { "reason": "Locked", "message": "Updates are locked" } } } }
        """;

    private static SupervisorHostFactory Host() => new(workflows: new Dictionary<string, string>
    {
        ["greet"] = Greet,
        ["slow"] = Slow,
        ["locked"] = Locked,
    });

    [Fact]
    public async Task Every_v3_endpoint_needs_the_api_key()
    {
        await using var host = Host();
        using var anonymous = host.CreateClient();

        foreach (var path in (string[])["/v3/workflows", "/v3/workflows/greet", "/v3/runs", "/v3/runs/x", "/workflows/locked"])
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var posted = await anonymous.PostAsync(new Uri("/v3/workflows/greet/runs", UriKind.Relative), JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Unauthorized, posted.StatusCode);
        using var wrongKey = await anonymous.GetAsync(new Uri("/v3/workflows?apikey=wrong", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        using var queryKey = await anonymous.GetAsync(new Uri($"/v3/workflows?apikey={SupervisorHostFactory.ApiKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, queryKey.StatusCode);
    }

    [Fact]
    public async Task The_Hangfire_dashboard_needs_the_api_key_and_then_remembers_it()
    {
        await using var host = Host();
        using var anonymous = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });

        using var refused = await anonymous.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var opened = await anonymous.GetAsync(new Uri($"/hangfire?apikey={SupervisorHostFactory.ApiKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("Hangfire", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var followUp = await anonymous.GetAsync(new Uri("/hangfire/jobs/enqueued", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
    }

    [Fact]
    public async Task Definitions_are_listed_and_shown_with_their_graph()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();

        var list = await client.GetFromJsonAsync<JsonElement>("/v3/workflows");
        Assert.Equal(["greet", "locked", "slow"], list.EnumerateArray().Select(d => d.GetProperty("id").GetString()));

        var greet = await client.GetFromJsonAsync<JsonElement>("/v3/workflows/greet");
        Assert.Equal(3, greet.GetProperty("version").GetInt32());
        Assert.Equal("echo", greet.GetProperty("definition").GetProperty("start").GetString());
        Assert.Contains("-->|Done|", greet.GetProperty("graph").GetString(), StringComparison.Ordinal);

        using var missing = await client.GetAsync(new Uri("/v3/workflows/nothing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Starting_a_run_waits_for_it_and_answers_with_its_history()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();

        using var response = await client.PostAsJsonAsync("/v3/workflows/greet/runs", new { name = "device", extra = new { n = 1 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal("api", run.GetProperty("origin").GetString());
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["echo", "respond"], steps.Select(s => s.GetProperty("activityId").GetString()));
        Assert.Equal("device", steps[0].GetProperty("output").GetProperty("text").GetString());
        Assert.Equal(1, steps[0].GetProperty("output").GetProperty("value").GetProperty("n").GetInt32());
        Assert.True(steps[0].GetProperty("durationMs").GetDouble() >= 0);

        var shown = await client.GetFromJsonAsync<JsonElement>($"/v3/runs/{run.GetProperty("id").GetString()}");
        Assert.Equal(run.GetProperty("id").GetString(), shown.GetProperty("id").GetString());
        Assert.Equal(2, shown.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task A_run_that_outlasts_the_wait_answers_202_with_where_to_follow_it_and_carries_on()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();

        using var response = await client.PostAsJsonAsync("/v3/workflows/slow/runs?wait=0.1", new { });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString();
        Assert.Equal($"/v3/runs/{id}", response.Headers.Location?.ToString());
        Assert.Equal($"/v3/runs/{id}", body.GetProperty("location").GetString());

        var run = await Eventually.GetAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/v3/runs/{id}"),
            r => r.GetProperty("status").GetString() == "Completed",
            TimeSpan.FromSeconds(20));
        Assert.Equal(["after-wait"], host.Recorder.Started);
        Assert.Equal(2, run.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_the_reason()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();

        using var unknown = await client.PostAsJsonAsync("/v3/workflows/nothing/runs", new { });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("There is no workflow \"nothing\".", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());

        using var array = await client.PostAsync(new Uri("/v3/workflows/greet/runs", UriKind.Relative), new StringContent("[1]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
        Assert.Contains("must be a JSON object", await array.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var broken = await client.PostAsync(new Uri("/v3/workflows/greet/runs", UriKind.Relative), new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        using var badStatus = await client.GetAsync(new Uri("/v3/runs?status=Sleeping", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);

        using var noRun = await client.GetAsync(new Uri("/v3/runs/nothing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, noRun.StatusCode);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_filtered_and_paged()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsJsonAsync("/v3/workflows/greet/runs", new { name = $"n{i}" });
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        using var locked = await client.GetAsync(new Uri("/workflows/locked", UriKind.Relative));

        var page = await client.GetFromJsonAsync<JsonElement>("/v3/runs?workflow=greet&pageSize=2&page=1");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal([ids[2], ids[1]], page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var second = await client.GetFromJsonAsync<JsonElement>("/v3/runs?workflow=greet&pageSize=2&page=2");
        Assert.Equal([ids[0]], second.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        var failed = await client.GetFromJsonAsync<JsonElement>("/v3/runs?status=failed");
        var only = Assert.Single(failed.GetProperty("runs").EnumerateArray());
        Assert.Equal("locked", only.GetProperty("workflowId").GetString());
        Assert.Equal("Locked", only.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_http_trigger_takes_route_query_and_body_as_input_and_answers_as_Respond_says()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();

        using var response = await client.PostAsJsonAsync("/workflows/greet/world?extra=from-query", new { extra = "from-body" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("world", body.GetProperty("text").GetString());
        Assert.Equal("from-query", body.GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_http_trigger_without_Respond_answers_from_how_the_run_ended()
    {
        await using var host = Host();
        using var client = host.CreateAuthorizedClient();

        using var locked = await client.GetAsync(new Uri("/workflows/locked", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        var body = await locked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("Updates are locked", body.GetProperty("message").GetString());

        using var wrongMethod = await client.PostAsJsonAsync("/workflows/locked", new { });
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        using var unknown = await client.GetAsync(new Uri("/workflows/nothing/here", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
