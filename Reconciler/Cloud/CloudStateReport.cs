using System.Text.Json.Nodes;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Reconciler.Cloud;

/// <summary>
/// The current-state report the cloud takes (<c>PATCH {api}/device/v3/state</c>):
/// <c>{ uuid: { supervisor_version, api_port, apps: { appUuid: { release_uuid, releases: { commit: { update_status, update_error?, services: { name: { image, status, download_progress } } } } } } } }</c>,
/// and the shallow diff against the last report sent, so that an unchanged device sends nothing.
/// Only apps of the target are reported, as balena does.
/// </summary>
public static class CloudStateReport
{
    public static JsonObject Build(string deviceUuid, DeviceStateView view, string supervisorVersion, int apiPort)
    {
        ArgumentNullException.ThrowIfNull(view);
        var apps = new JsonObject();
        foreach (var app in view.Apps)
        {
            var services = new JsonObject();
            foreach (var service in app.Services)
            {
                services[service.Name] = new JsonObject
                {
                    ["image"] = service.Image,
                    ["status"] = service.Status,
                    ["download_progress"] = service.DownloadProgress,
                };
            }

            var release = app.TargetCommit ?? app.Commit;
            var releases = new JsonObject();
            if (release is not null)
            {
                releases[release] = new JsonObject { ["update_status"] = app.UpdateStatus, ["services"] = services };

                // Only while the app is aborted, so that a report is balena's shape otherwise; the cloud takes
                // the fields it knows.
                if (app.UpdateError is { } error)
                {
                    releases[release]!["update_error"] = error;
                }
            }

            apps[app.Uuid] = new JsonObject { ["release_uuid"] = app.Commit, ["releases"] = releases };
        }

        return new JsonObject
        {
            [deviceUuid] = new JsonObject
            {
                ["supervisor_version"] = supervisorVersion,
                ["api_port"] = apiPort,
                ["apps"] = apps,
            },
        };
    }

    /// <summary>
    /// What changed since <paramref name="last"/>, two levels down as balena diffs it: a device
    /// field whole, and under <c>apps</c> each app whole. Null when nothing changed.
    /// </summary>
    public static JsonObject? Diff(JsonObject? last, JsonObject current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var diff = new JsonObject();
        foreach (var (uuid, device) in current)
        {
            var before = last?[uuid] as JsonObject;
            var changed = new JsonObject();
            foreach (var (field, value) in (JsonObject)device!)
            {
                if (field == "apps" && value is JsonObject apps && before?["apps"] is JsonObject beforeApps)
                {
                    var changedApps = new JsonObject();
                    foreach (var (appUuid, app) in apps)
                    {
                        if (!JsonNode.DeepEquals(app, beforeApps[appUuid]))
                        {
                            changedApps[appUuid] = app?.DeepClone();
                        }
                    }

                    if (changedApps.Count > 0)
                    {
                        changed["apps"] = changedApps;
                    }
                }
                else if (before is null || !JsonNode.DeepEquals(value, before[field]))
                {
                    changed[field] = value?.DeepClone();
                }
            }

            if (changed.Count > 0)
            {
                diff[uuid] = changed;
            }
        }

        return diff.Count > 0 ? diff : null;
    }
}
