using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Supervisor.Tests.Host.Api;

/// <summary>Many requests at once on one app, against the real engine and real lock files.</summary>
public sealed class ActionConcurrencyTests : IAsyncLifetime
{
    private ActionDevice _device = null!;

    // Each restart takes the whole stop grace period, so a burst of requests arrives while the first one runs.
    public async Task InitializeAsync() => _device = await ActionDevice.StartAsync("concurrency", ["main"], ["main"], slowStop: TimeSpan.FromSeconds(5));

    public async Task DisposeAsync() => await _device.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body, string? RunId)> RestartAsync()
    {
        using var response = await _device.PostAsync($"/v2/applications/{_device.AppId}/restart-service", new { serviceName = "main" });
        var runId = response.Headers.TryGetValues("Supervisor-Run-Id", out var ids) ? ids.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), runId);
    }

    [Fact]
    public async Task Fifty_concurrent_restarts_of_an_unlocked_service_share_at_most_two_runs_and_all_answer_200()
    {
        var before = await _device.ContainerAsync("main");

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RestartAsync()));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status}: {a.Body}"));
        var runIds = answers.Select(a => a.RunId).Distinct().ToList();
        Assert.DoesNotContain(null, runIds);
        Assert.InRange(runIds.Count, 1, 2);
        // Each run recreated the container (balena's restart); one container is left, running.
        var after = await _device.ContainerAsync("main");
        Assert.NotEqual(before.Id, after.Id);
        Assert.True(after.Running);

        var listed = await _device.Client.GetFromJsonAsync<JsonElement>("/v3/runs?workflow=restart-service&pageSize=100");
        var runs = listed.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(runIds.Order(StringComparer.Ordinal), runs.Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(runIds.Count, listed.GetProperty("total").GetInt32());
        Assert.All(runs, r => Assert.Equal("Completed", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Fifty_concurrent_restarts_of_a_locked_service_all_answer_423_and_nothing_restarts()
    {
        var before = await _device.ContainerAsync("main");
        _device.UserLock("main");

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RestartAsync()));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Locked, $"{a.Status}: {a.Body}"));
        Assert.Equal(before, await _device.ContainerAsync("main"));
        Assert.True(File.Exists(_device.LockFile("main")));

        // Identical requests share runs, and each answer names its run: at least two (the first
        // alone, then the next turn for those that came meanwhile). Answered before they were
        // written, yet every refused run is accounted for at once: the first of the minute kept
        // in full under its own id, every one counted.
        var runIds = answers.Select(a => a.RunId!).Distinct().ToList();
        Assert.InRange(runIds.Count, 2, 50);
        var listed = await _device.Client.GetFromJsonAsync<JsonElement>("/v3/runs?workflow=restart-service&pageSize=100");
        var runs = listed.GetProperty("runs").EnumerateArray().ToList();
        Assert.InRange(runs.Count, 1, 2);
        Assert.Equal(runs.Count, listed.GetProperty("total").GetInt32());
        Assert.All(runs, r => Assert.Contains(r.GetProperty("id").GetString(), runIds));
        Assert.All(runs, r => Assert.Equal(("Failed", "Locked"), (r.GetProperty("status").GetString(), r.GetProperty("reason").GetString())));
        var counts = new Dictionary<DateTimeOffset, int>();
        var keptMinutes = new List<DateTimeOffset>();
        foreach (var runId in runIds)
        {
            using var response = await _device.Client.GetAsync($"/v3/runs/{runId}");
            var shown = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(runId, shown.GetProperty("id").GetString());
                var createdAt = shown.GetProperty("createdAt").GetDateTimeOffset();
                keptMinutes.Add(createdAt.AddTicks(-(createdAt.UtcTicks % TimeSpan.TicksPerMinute)));
                continue;
            }

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var refusal = Assert.Single(shown.GetProperty("refusals").EnumerateArray());
            Assert.Equal(("restart-service", "Locked"), (refusal.GetProperty("workflowId").GetString(), refusal.GetProperty("reason").GetString()));
            Assert.Contains(refusal.GetProperty("keptRunId").GetString(), runs.Select(r => r.GetProperty("id").GetString()));
            counts[refusal.GetProperty("minute").GetDateTimeOffset()] = refusal.GetProperty("count").GetInt32();
        }

        // A minute's count includes the run it kept; a minute with no run counted only has its kept run.
        Assert.NotEmpty(counts);
        Assert.Equal(runIds.Count, counts.Values.Sum() + keptMinutes.Count(m => !counts.ContainsKey(m)));
    }

    [Fact]
    public async Task Two_concurrent_restarts_both_succeed_one_after_the_other_and_the_service_ends_running()
    {
        var before = await _device.ContainerAsync("main");

        var answers = await Task.WhenAll(RestartAsync(), RestartAsync());

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status}: {a.Body}"));
        var after = await _device.ContainerAsync("main");
        Assert.True(after.Running);
        Assert.True(after.StartedAt > before.StartedAt);

        var listed = await _device.Client.GetFromJsonAsync<JsonElement>("/v3/runs?workflow=restart-service");
        var runs = new List<IReadOnlyDictionary<string, JsonElement>>();
        foreach (var summary in listed.GetProperty("runs").EnumerateArray())
        {
            var run = await _device.Client.GetFromJsonAsync<JsonElement>($"/v3/runs/{summary.GetProperty("id").GetString()}");
            runs.Add(run.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("activityId").GetString()!));
        }

        Assert.Equal(2, runs.Count);
        var ordered = runs.OrderBy(r => r["stop"].GetProperty("startedAt").GetDateTimeOffset()).ToList();
        Assert.True(
            ordered[0]["start"].GetProperty("endedAt").GetDateTimeOffset() <= ordered[1]["stop"].GetProperty("startedAt").GetDateTimeOffset(),
            "the second restart stopped the service before the first had started it again");
    }
}
