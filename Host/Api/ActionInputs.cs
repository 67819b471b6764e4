using System.Text.Json;
using System.Text.Json.Nodes;
using Supervisor.Activities.TargetState;

namespace Supervisor.Host.Api;

/// <summary>
/// The inputs the action workflows take, built from the target: the same member names the
/// reconciler sends (<c>appUuid</c>, <c>serviceName</c>, <c>gracePeriod</c>, optional <c>appId</c>
/// naming the lock folder), plus <c>force</c>. No commit is given: an action acts on whatever
/// container the service has, of any release.
/// </summary>
public static class ActionInputs
{
    public static JsonElement ForService(TargetApp app, TargetService service, bool force)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(service);
        var input = App(app, force);
        input["serviceName"] = service.Name;
        input["gracePeriod"] = ReconcileSteps.GracePeriod(service.StopGracePeriod);
        return JsonSerializer.SerializeToElement(input);
    }

    /// <summary>Every service of the app's target release; app-wide stops use the longest grace period among them.</summary>
    public static JsonElement ForApp(TargetApp app, bool force)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Release?.Services.Values.ToList() ?? [];
        var input = App(app, force);
        input["services"] = new JsonArray([.. services.Select(s => (JsonNode?)s.Name)]);
        if (services.Count > 0)
        {
            input["gracePeriod"] = ReconcileSteps.GracePeriod(services.Max(s => s.StopGracePeriod));
        }

        return JsonSerializer.SerializeToElement(input);
    }

    /// <summary>What <c>start-app</c> takes: exactly <c>create-service</c>'s input for the service, as the reconciler builds it.</summary>
    public static JsonElement ForStart(TargetApp app, TargetRelease release, TargetService service) =>
        ReconcileSteps.CreateService(app, release, service).Input;

    private static JsonObject App(TargetApp app, bool force)
    {
        JsonObject input = new() { ["appUuid"] = app.Uuid, ["force"] = force };
        if (app.LegacyId is { } appId)
        {
            input["appId"] = appId;
        }

        return input;
    }
}
