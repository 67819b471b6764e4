using System.Text.Json.Nodes;
using Supervisor.Reconciler.Cloud;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Tests.Reconciler.Cloud;

/// <summary>The report's shape and its diff against the last report the cloud accepted, from hand-built views.</summary>
public sealed class CloudStateReportTests
{
    private static DeviceStateView View(string status, string updateStatus, int? progress = null, string? error = null) => new(
        Applying: false,
        Apps:
        [
            new AppStateView("app-1", "fleet", 1, "c1", "c1", 2, updateStatus, null, error,
                [new ServiceStateView("main", status, "registry.local/main:v1", "c1", progress, null, null, null, new Dictionary<string, string>(), 3, 4, 2)]),
            new AppStateView("app-2", "other", null, null, "c9", null, UpdateStatus.Downloading, null, null, []),
        ],
        Containers: [],
        Images: []);

    [Fact]
    public void The_report_names_each_apps_release_with_its_update_status_and_services()
    {
        var report = CloudStateReport.Build("dev-1", View("Running", UpdateStatus.Done), "1.2.3", 48484);

        var expected = JsonNode.Parse("""
            { "dev-1": { "supervisor_version": "1.2.3", "api_port": 48484, "apps": {
                "app-1": { "release_uuid": "c1", "releases": { "c1": { "update_status": "done",
                  "services": { "main": { "image": "registry.local/main:v1", "status": "Running", "download_progress": null } } } } },
                "app-2": { "release_uuid": null, "releases": { "c9": { "update_status": "downloading", "services": {} } } } } } }
            """);
        Assert.True(JsonNode.DeepEquals(expected, report), report.ToJsonString());
    }

    [Fact]
    public void The_first_report_is_whole_an_unchanged_one_is_nothing_and_a_change_sends_only_the_app_that_changed()
    {
        var downloading = CloudStateReport.Build("dev-1", View("Downloading", UpdateStatus.Downloading, 40), "1.2.3", 48484);
        var running = CloudStateReport.Build("dev-1", View("Running", UpdateStatus.Done), "1.2.3", 48484);

        Assert.True(JsonNode.DeepEquals(downloading, CloudStateReport.Diff(null, downloading)));
        Assert.Null(CloudStateReport.Diff(downloading, CloudStateReport.Build("dev-1", View("Downloading", UpdateStatus.Downloading, 40), "1.2.3", 48484)));

        var diff = CloudStateReport.Diff(downloading, running)!;
        var device = diff["dev-1"]!.AsObject();
        Assert.Equal(["apps"], device.Select(p => p.Key));
        Assert.Equal(["app-1"], device["apps"]!.AsObject().Select(p => p.Key));
        Assert.Equal("Running", device["apps"]!["app-1"]!["releases"]!["c1"]!["services"]!["main"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_changed_device_field_is_sent_alone()
    {
        var before = CloudStateReport.Build("dev-1", View("Running", UpdateStatus.Done), "1.2.3", 48484);
        var after = CloudStateReport.Build("dev-1", View("Running", UpdateStatus.Done), "1.2.4", 48484);

        var diff = CloudStateReport.Diff(before, after)!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "dev-1": { "supervisor_version": "1.2.4" } }"""), diff), diff.ToJsonString());
    }

    [Fact]
    public void An_aborted_app_carries_why_beside_its_update_status_and_only_while_aborted()
    {
        var aborted = CloudStateReport.Build("dev-1", View("Downloading", UpdateStatus.Aborted, 0, "connection refused"), "1.2.3", 48484);
        var done = CloudStateReport.Build("dev-1", View("Running", UpdateStatus.Done), "1.2.3", 48484);

        Assert.Equal("connection refused", aborted["dev-1"]!["apps"]!["app-1"]!["releases"]!["c1"]!["update_error"]!.GetValue<string>());
        Assert.DoesNotContain("update_error", done["dev-1"]!["apps"]!["app-1"]!["releases"]!["c1"]!.AsObject().Select(p => p.Key));
    }
}
