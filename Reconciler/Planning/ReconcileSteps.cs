using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Activities.Images;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Services.Config;
using Supervisor.Activities.Volumes;
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
            ["config"] = DeclaredConfigJson.Of(Config(app, service)),
        };
        AddIfSet(input, "appId", app.LegacyId);
        AddIfSet(input, "serviceId", service.LegacyId);
        AddIfSet(input, "imageId", service.LegacyImageId);
        AddIfSet(input, "releaseId", release.LegacyId);
        input["appName"] = app.Name;
        return Step(ReconcileWorkflows.CreateService, input, app.Uuid, service.Name, needsLock: false);
    }

    /// <summary>
    /// The service's config as its container is created, and as its fingerprint is taken: named volumes are scoped
    /// to the app, as balena names them (<c>&lt;appId&gt;_&lt;name&gt;</c>), so two apps declaring a volume called
    /// <c>data</c> do not share it, and a service that names no network mode joins the first of its networks, else its
    /// app's default network, where its siblings find it by name.
    /// </summary>
    public static ServiceConfig Config(TargetApp app, TargetService service)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(service);
        return service.Config with
        {
            Volumes = [.. service.Config.Volumes.Select(v => v.Source is null ? v : v with { Source = AppVolumes.EngineName(app.Uuid, app.LegacyId, v.Source) })],
            NetworkMode = service.Config.NetworkMode
                ?? AppNetworks.EngineName(app.Uuid, service.Config.Networks.Count > 0 ? service.Config.Networks[0].Name : AppNetworks.DefaultName),
        };
    }

    /// <summary>Creates the app's network <paramref name="name"/> with its declared options; it touches no container, so it needs no lock.</summary>
    public static ReconcileStep CreateNetwork(string appUuid, long? appId, string name, NetworkConfig? config = null) =>
        Step(ReconcileWorkflows.CreateNetwork, ResourceInput(appUuid, appId, name, config), appUuid, serviceName: null, needsLock: false);

    /// <summary>Creates the app's named volume <paramref name="name"/> with its declared options, before the containers that mount it.</summary>
    public static ReconcileStep CreateVolume(string appUuid, long? appId, string name, VolumeConfig config) =>
        Step(ReconcileWorkflows.CreateVolume, ResourceInput(appUuid, appId, name, config), appUuid, serviceName: null, needsLock: false);

    /// <summary>Removes an app's named volume, and its data, once no container of the app is left.</summary>
    public static ReconcileStep RemoveVolume(string appUuid, long? appId, string name) =>
        Step(ReconcileWorkflows.RemoveVolume, ResourceInput<VolumeConfig>(appUuid, appId, name, null), appUuid, serviceName: null, needsLock: false);

    /// <summary>
    /// Removes the volume the engine names <paramref name="engineName"/> of an app that left the target: named
    /// <c>&lt;appUuid&gt;_&lt;name&gt;</c> when the app had no numeric id, else <c>&lt;appId&gt;_&lt;name&gt;</c>.
    /// </summary>
    public static ReconcileStep RemoveVolume(string appUuid, string engineName)
    {
        ArgumentNullException.ThrowIfNull(appUuid);
        ArgumentNullException.ThrowIfNull(engineName);
        if (engineName.StartsWith(appUuid + "_", StringComparison.Ordinal))
        {
            return RemoveVolume(appUuid, null, engineName[(appUuid.Length + 1)..]);
        }

        int separator = engineName.IndexOf('_', StringComparison.Ordinal);
        long? appId = separator > 0 && long.TryParse(engineName.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : null;
        return RemoveVolume(appUuid, appId, engineName[(separator + 1)..]);
    }

    /// <summary>Removes a network of an app once none of its containers is left on it.</summary>
    public static ReconcileStep RemoveNetwork(string appUuid, long? appId, string name) =>
        Step(ReconcileWorkflows.RemoveNetwork, ResourceInput<NetworkConfig>(appUuid, appId, name, null), appUuid, serviceName: null, needsLock: false);

    /// <summary>The input of a network or volume workflow, with what its release declares for it when it declares anything.</summary>
    private static JsonObject ResourceInput<T>(string appUuid, long? appId, string name, T? config)
        where T : class
    {
        JsonObject input = new() { ["appUuid"] = appUuid, ["name"] = name };
        AddIfSet(input, "appId", appId);
        if (config is not null && DeclaredConfigJson.Of(config) is { Count: > 0 } declared)
        {
            input["config"] = declared;
        }

        return input;
    }

    /// <summary>
    /// Moves an unchanged service's container from release <paramref name="fromCommit"/> to <paramref name="release"/>.
    /// It restarts nothing, but balena takes the app's locks for it, so a user's lock defers it like any update.
    /// </summary>
    public static ReconcileStep UpdateServiceRelease(TargetApp app, TargetRelease release, TargetService service, string fromCommit)
    {
        JsonObject input = ServiceInput(app.Uuid, service.Name, fromCommit);
        input["toCommit"] = release.Commit;
        AddIfSet(input, "imageId", service.LegacyImageId);
        AddIfSet(input, "releaseId", release.LegacyId);
        return Step(ReconcileWorkflows.UpdateServiceRelease, input, app.Uuid, service.Name, needsLock: true);
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

    /// <summary>The <c>hh:mm:ss</c> (constant "c") form that the activities' <see cref="TimeSpan"/> inputs read.</summary>
    public static string GracePeriod(TimeSpan period) => period.ToString("c", CultureInfo.InvariantCulture);

    private static JsonObject ServiceInput(string appUuid, string serviceName, string commit) => new()
    {
        ["appUuid"] = appUuid,
        ["serviceName"] = serviceName,
        ["commit"] = commit,
    };

    private static void AddIfSet(JsonObject input, string name, long? value)
    {
        if (value is { } number)
        {
            input[name] = number;
        }
    }

    private static ReconcileStep Step(string workflow, JsonObject input, string appUuid, string? serviceName, bool needsLock) =>
        new(workflow, JsonSerializer.SerializeToElement(input), appUuid, serviceName, needsLock);
}
