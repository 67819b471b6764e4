using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Jobs;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Host;

/// <summary>Background runs through the real Hangfire server and its SQLite storage.</summary>
public sealed class BackgroundJobTests
{
    private const string Removal = """
        { "id": "remove-like", "version": 1, "queue": "removal", "start": "mark",
          "activities": { "mark": { "type": "Mark", "inputs": { "label": "$.input.label", "delayMs": 5 } } } }
        """;

    private const string Step = """
        { "id": "step", "version": 1, "start": "mark",
          "activities": { "mark": { "type": "Mark", "inputs": { "label": "$.input.label" } } } }
        """;

    private const string Refuse = """
        { "id": "refuse", "version": 1, "start": "fail",
          "activities": { "fail": { "type": "Fail", "inputs": { "reason": "Nope", "message": "refused on purpose" } } } }
        """;

    private static JsonElement Label(string label) => JsonSerializer.SerializeToElement(new { label });

    [Fact]
    public async Task The_removal_queue_runs_a_burst_of_50_strictly_one_at_a_time_in_order()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["remove-like"] = Removal });
        using var client = host.CreateClient();
        var scheduler = host.Services.GetRequiredService<WorkflowScheduler>();

        var labels = Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var label in labels)
        {
            scheduler.Enqueue("remove-like", Label(label), "test");
        }

        await Eventually.TrueAsync(() => host.Recorder.Finished.Count == 50, TimeSpan.FromSeconds(90), "50 removals");
        Assert.Equal(1, host.Recorder.MaxConcurrency);
        Assert.Equal(labels, host.Recorder.Started);
    }

    [Fact]
    public async Task A_run_the_supervisor_queues_wakes_an_idle_worker_long_before_its_next_poll()
    {
        // Workers poll every minute here: only the wake-up can start these runs within the 20 s waited for each.
        await using var host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:Jobs:QueuePollInterval"] = "00:01:00" },
            new Dictionary<string, string> { ["step"] = Step });
        using var client = host.CreateClient();
        var scheduler = host.Services.GetRequiredService<WorkflowScheduler>();

        // The second run is queued while every worker waits after finding nothing, as on an idle device.
        scheduler.Enqueue("step", Label("first"), "test");
        await Eventually.TrueAsync(() => host.Recorder.Finished.Count == 1, TimeSpan.FromSeconds(20), "the first run");
        scheduler.Enqueue("step", Label("second"), "test");
        await Eventually.TrueAsync(() => host.Recorder.Finished.Count == 2, TimeSpan.FromSeconds(20), "the second run");

        Assert.Equal(["first", "second"], host.Recorder.Started);
    }

    [Fact]
    public async Task A_sequence_stops_at_the_first_failure_and_the_failure_stays_visible()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["step"] = Step, ["refuse"] = Refuse });
        using var client = host.CreateClient();
        var scheduler = host.Services.GetRequiredService<WorkflowScheduler>();
        var storage = host.Services.GetRequiredService<JobStorage>();

        var jobs = scheduler.EnqueueSequence(
            [("step", Label("first")), ("refuse", Label("unused")), ("step", Label("third"))], "test");

        string? State(string jobId)
        {
            using var connection = storage.GetConnection();
            return connection.GetStateData(jobId)?.Name;
        }

        await Eventually.TrueAsync(
            () => State(jobs[1]) == DeletedState.StateName && State(jobs[2]) == DeletedState.StateName,
            TimeSpan.FromSeconds(30),
            "the failed job and the one after it to be dropped");
        Assert.Equal(SucceededState.StateName, State(jobs[0]));
        Assert.Equal(["first"], host.Recorder.Started);

        var journal = host.Services.GetRequiredService<WorkflowJournal>();
        var (runs, total) = await journal.ListRunsAsync(new RunQuery());
        Assert.Equal(2, total);
        var failed = Assert.Single(runs, r => r.Status == RunStatus.Failed);
        Assert.Equal("refuse", failed.WorkflowId);
        Assert.Equal("Nope", failed.Reason);
        Assert.Equal("refused on purpose", failed.Message);
    }

    [Fact]
    public async Task A_sequence_runs_one_after_another_when_all_complete()
    {
        await using var host = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["step"] = Step });
        using var client = host.CreateClient();
        var scheduler = host.Services.GetRequiredService<WorkflowScheduler>();

        scheduler.EnqueueSequence([("step", Label("a")), ("step", Label("b")), ("step", Label("c"))], "test");

        await Eventually.TrueAsync(() => host.Recorder.Finished.Count == 3, TimeSpan.FromSeconds(30), "three runs");
        Assert.Equal(["a", "b", "c"], host.Recorder.Started);
        Assert.Equal(1, host.Recorder.MaxConcurrency);
    }

    [Fact]
    public async Task Schedules_start_runs_on_their_interval_and_at_startup()
    {
        var settings = new Dictionary<string, string?> { ["Supervisor:Jobs:SchedulePollingInterval"] = "00:00:01" };
        await using var host = new SupervisorHostFactory(settings, workflows: new Dictionary<string, string>
        {
            ["ticker"] = """
                { "id": "ticker", "version": 1, "trigger": { "schedule": { "interval": "00:00:01", "input": { "label": "tick" } } },
                  "start": "mark", "activities": { "mark": { "type": "Mark", "inputs": { "label": "$.input.label" } } } }
                """,
            ["yearly"] = """
                { "id": "yearly", "version": 1, "trigger": { "schedule": { "cron": "0 0 1 1 *", "runAtStartup": true, "input": { "label": "startup" } } },
                  "start": "mark", "activities": { "mark": { "type": "Mark", "inputs": { "label": "$.input.label" } } } }
                """,
        });
        using var client = host.CreateClient();

        await Eventually.TrueAsync(() => host.Recorder.Started.Count(l => l == "tick") >= 2, TimeSpan.FromSeconds(30), "two ticks");
        await Eventually.TrueAsync(() => host.Recorder.Started.Contains("startup"), TimeSpan.FromSeconds(30), "the startup run");

        var journal = host.Services.GetRequiredService<WorkflowJournal>();
        var (ticks, _) = await journal.ListRunsAsync(new RunQuery("ticker"));
        Assert.All(ticks, r => Assert.Equal("schedule", r.Origin));
        var (yearly, total) = await journal.ListRunsAsync(new RunQuery("yearly"));
        Assert.Equal(1, total);
        Assert.Equal("startup", yearly[0].Origin);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_keep_their_jobs_and_journals_apart()
    {
        await using var first = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["step"] = Step });
        await using var second = new SupervisorHostFactory(workflows: new Dictionary<string, string> { ["step"] = Step });
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            first.Services.GetRequiredService<WorkflowScheduler>().Enqueue("step", Label($"first-{i}"), "test");
            second.Services.GetRequiredService<WorkflowScheduler>().Enqueue("step", Label($"second-{i}"), "test");
        }

        await Eventually.TrueAsync(() => first.Recorder.Finished.Count == 5 && second.Recorder.Finished.Count == 5, TimeSpan.FromSeconds(30), "both hosts' runs");
        Assert.All(first.Recorder.Started, l => Assert.StartsWith("first-", l, StringComparison.Ordinal));
        Assert.All(second.Recorder.Started, l => Assert.StartsWith("second-", l, StringComparison.Ordinal));
        Assert.Equal(5, (await first.Services.GetRequiredService<WorkflowJournal>().ListRunsAsync(new RunQuery())).Total);
        Assert.Equal(5, (await second.Services.GetRequiredService<WorkflowJournal>().ListRunsAsync(new RunQuery())).Total);
        Assert.NotSame(first.Services.GetRequiredService<JobStorage>(), second.Services.GetRequiredService<JobStorage>());

        // Each storage holds exactly its own host's five jobs once their states are committed.
        await Eventually.TrueAsync(
            () => first.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededListCount() == 5
                && second.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededListCount() == 5,
            TimeSpan.FromSeconds(30),
            "five succeeded jobs in each storage");
    }
}
