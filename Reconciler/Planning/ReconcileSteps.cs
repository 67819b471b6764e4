using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Activities.Images;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Planning;

/// <summary>
/// Builds each kind of <see cref="ReconcileStep"/> with exactly the input its workflow takes (see
/// <c>workflow-definitions/</c>). Optional members the target leaves unset are left out, so the activity takes its
/// own default rather than a null it would have to tell apart from "empty".
/// </summary>
public static class ReconcileSteps
{
    public static ReconcileStep FetchImage(TargetApp app, TargetRelease release, TargetService service)
    {
        JsonObject input = new()
        {
            ["image"] = service.Image.ToString(),
            ["appUuid"] = app.Uuid,
            ["serviceName"] = service.Name,
            ["commit"] = release.Commit,
        };
        AddIfSet(input, "appId", app.LegacyId);
        AddIfSet(input, "serviceId", service.LegacyId);
        AddIfSet(input, "imageId", service.LegacyImageId);
        AddIfSet(input, "releaseId", release.LegacyId);
        return Step(ReconcileWorkflows.FetchImage, input, app.Uuid, service.Name, needsLock: false);
    }

    public static ReconcileStep CreateService(TargetApp app, TargetRelease release, TargetService service)
    {
        JsonObject input = new()
        {
            ["appUuid"] = app.Uuid,
            ["serviceName"] = service.Name,
            ["commit"] = release.Commit,
            ["image"] = service.Image.ToString(),
            ["environment"] = Map(service.Environment),
            ["labels"] = Map(service.Labels),
            ["volumes"] = new JsonArray([.. service.Volumes.Select(m => (JsonNode?)Bind(app.Uuid, m))]),
            ["restart"] = Restart(service.Restart),
        };
        AddIfSet(input, "appId", app.LegacyId);
        if (service.Command is { } command)
        {
            input["command"] = Words(command);
        }

        if (service.Entrypoint is { } entrypoint)
        {
            input["entrypoint"] = Words(entrypoint);
        }

        if (service.NetworkMode is { } networkMode)
        {
            input["networkMode"] = networkMode;
        }

        return Step(ReconcileWorkflows.CreateService, input, app.Uuid, service.Name, needsLock: false);
    }

    /// <summary>Starting takes no update lock: it ends no work a user is protecting (balena's behaviour).</summary>
    public static ReconcileStep StartService(string appUuid, string serviceName, string commit) =>
        Step(ReconcileWorkflows.StartService, ServiceInput(appUuid, serviceName, commit), appUuid, serviceName, needsLock: false);

    /// <param name="appId">The legacy numeric app id when the target gives one: it names the app's lock folder for a container created now.</param>
    public static ReconcileStep StopService(string appUuid, long? appId, string serviceName, string commit, TimeSpan gracePeriod)
    {
        JsonObject input = ServiceInput(appUuid, serviceName, commit);
        input["gracePeriod"] = GracePeriod(gracePeriod);
        AddIfSet(input, "appId", appId);
        return Step(ReconcileWorkflows.StopService, input, appUuid, serviceName, needsLock: true);
    }

    /// <param name="running">Whether a container being removed runs: only then does removing it need the lock.</param>
    public static ReconcileStep RemoveService(string appUuid, long? appId, string serviceName, string commit, TimeSpan gracePeriod, bool running)
    {
        JsonObject input = ServiceInput(appUuid, serviceName, commit);
        input["gracePeriod"] = GracePeriod(gracePeriod);
        AddIfSet(input, "appId", appId);
        return Step(ReconcileWorkflows.RemoveService, input, appUuid, serviceName, running);
    }

    public static ReconcileStep RemoveImage(ImageRecord record)
    {
        JsonObject input = new()
        {
            ["image"] = record.Name,
            ["appUuid"] = record.AppUuid,
            ["serviceName"] = record.ServiceName,
            ["commit"] = record.Commit,
        };
        return Step(ReconcileWorkflows.RemoveImage, input, record.AppUuid, record.ServiceName, needsLock: false);
    }

    /// <summary>
    /// <c>source:target[:ro]</c>. Named volumes are scoped to the app, as balena names them, so two apps declaring
    /// a volume called <c>data</c> do not share it.
    /// </summary>
    internal static string Bind(string appUuid, ServiceMount mount)
    {
        string source = $"{appUuid}_{mount.Source}";
        return mount.ReadOnly ? $"{source}:{mount.Target}:ro" : $"{source}:{mount.Target}";
    }

    internal static string Restart(RestartPolicy policy) => policy switch
    {
        RestartPolicy.No => "no",
        RestartPolicy.Always => "always",
        RestartPolicy.UnlessStopped => "unless-stopped",
        RestartPolicy.OnFailure => "on-failure",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown restart policy."),
    };

    /// <summary>The <c>hh:mm:ss</c> (constant "c") form that the activities' <see cref="TimeSpan"/> inputs read.</summary>
    public static string GracePeriod(TimeSpan period) => period.ToString("c", CultureInfo.InvariantCulture);

    private static JsonObject ServiceInput(string appUuid, string serviceName, string commit) => new()
    {
        ["appUuid"] = appUuid,
        ["serviceName"] = serviceName,
        ["commit"] = commit,
    };

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        JsonObject map = [];
        foreach ((string key, string value) in values)
        {
            map[key] = value;
        }

        return map;
    }

    private static JsonArray Words(IReadOnlyList<string> words) => new([.. words.Select(w => (JsonNode?)w)]);

    private static void AddIfSet(JsonObject input, string name, long? value)
    {
        if (value is { } number)
        {
            input[name] = number;
        }
    }

    private static ReconcileStep Step(string workflow, JsonObject input, string appUuid, string serviceName, bool needsLock) =>
        new(workflow, JsonSerializer.SerializeToElement(input), appUuid, serviceName, needsLock);
}
