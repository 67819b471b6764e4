using System.Text.Json;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Workflows.Activities;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// The inputs the action workflows take, built from the target: the same member names the
/// reconciler sends (<c>appUuid</c>, <c>serviceName</c>, <c>gracePeriod</c>, optional <c>appId</c>,
/// the target's numeric id), plus <c>force</c> and <c>apiAction</c> (true: the definitions shared with the
/// reconciler mark or unmark a service as stopped through the API only then). No commit is given: an action acts on
/// whatever container the service has, of any release. The inputs of the actions that create containers
/// (<c>start-app</c>, and <c>restart-service</c> and <c>restart-app</c>, which recreate them) also carry
/// <c>create-service</c>'s input, with the target's commit, for the new container alone.
/// </summary>
public static class ActionInputs
{
    /// <summary>The input member that tells a definition the device API launched the run.</summary>
    public const string ApiAction = "apiAction";

    public static JsonElement ForService(TargetApp app, TargetService service, bool force)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(service);
        return WorkflowJson.WriteObject(writer =>
        {
            WriteApp(writer, app, force);
            writer.WriteString("serviceName", service.Name);
            writer.WriteString("gracePeriod", ReconcileSteps.GracePeriod(service.StopGracePeriod));
        });
    }

    /// <summary>
    /// What <c>restart-service</c> takes: <see cref="ForService"/>'s members and <c>create-service</c>'s input for the
    /// service as the reconciler builds it, since a restart recreates the container from the target, as balena's does.
    /// </summary>
    public static JsonElement ForRestart(TargetApp app, TargetRelease release, TargetService service, bool force)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(release);
        var input = System.Text.Json.Nodes.JsonNode.Parse(ReconcileSteps.CreateService(app, release, service).Input.GetRawText())!.AsObject();
        foreach (var member in ForService(app, service, force).EnumerateObject())
        {
            input[member.Name] = System.Text.Json.Nodes.JsonNode.Parse(member.Value.GetRawText());
        }

        return JsonSerializer.SerializeToElement(input);
    }

    /// <summary>What <c>restart-app</c> takes: <see cref="ForApp"/>'s members and, as <c>create</c>, each service's
    /// <c>create-service</c> input, dependencies first, and their names in that order as <c>startOrder</c>.</summary>
    public static JsonElement ForAppRestart(TargetApp app, bool force)
    {
        ArgumentNullException.ThrowIfNull(app);
        var input = System.Text.Json.Nodes.JsonNode.Parse(ForApp(app, force).GetRawText())!.AsObject();
        var create = new System.Text.Json.Nodes.JsonArray();
        var startOrder = new System.Text.Json.Nodes.JsonArray();
        if (app.Release is { } release)
        {
            foreach (var service in ReconcilePlanner.StartOrder(release))
            {
                create.Add(System.Text.Json.Nodes.JsonNode.Parse(ReconcileSteps.CreateService(app, release, service).Input.GetRawText()));
                startOrder.Add(service.Name);
            }
        }

        input["create"] = create;
        input["startOrder"] = startOrder;
        return JsonSerializer.SerializeToElement(input);
    }

    /// <summary>Every service of the app's target release; app-wide stops use the longest grace period among them.</summary>
    public static JsonElement ForApp(TargetApp app, bool force)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Release?.Services.Values.ToList() ?? [];
        return WorkflowJson.WriteObject(writer =>
        {
            WriteApp(writer, app, force);
            writer.WriteStartArray("services");
            foreach (var service in services)
            {
                writer.WriteStringValue(service.Name);
            }

            writer.WriteEndArray();

            // Those the target wants running: what a purge waits for before it answers.
            writer.WriteStartArray("running");
            foreach (var service in services.Where(s => s.Running))
            {
                writer.WriteStringValue(service.Name);
            }

            writer.WriteEndArray();
            if (services.Count > 0)
            {
                writer.WriteString("gracePeriod", ReconcileSteps.GracePeriod(services.Max(s => s.StopGracePeriod)));
            }
        });
    }

    /// <summary>What <c>start-app</c> takes: exactly <c>create-service</c>'s input for the service, as the reconciler builds it.</summary>
    public static JsonElement ForStart(TargetApp app, TargetRelease release, TargetService service)
    {
        var input = System.Text.Json.Nodes.JsonNode.Parse(ReconcileSteps.CreateService(app, release, service).Input.GetRawText())!.AsObject();
        input[ApiAction] = true;
        return JsonSerializer.SerializeToElement(input);
    }

    private static void WriteApp(Utf8JsonWriter writer, TargetApp app, bool force)
    {
        writer.WriteString("appUuid", app.Uuid);
        writer.WriteBoolean("force", force);
        writer.WriteBoolean(ApiAction, true);
        if (app.LegacyId is { } appId)
        {
            writer.WriteNumber("appId", appId);
        }
    }
}
