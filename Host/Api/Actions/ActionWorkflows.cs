namespace Supervisor.Host.Api.Actions;

/// <summary>
/// The shipped workflows (<c>workflow-definitions/</c>) that the v1/v2 action endpoints launch, by
/// id: the endpoint takes the definition from the catalog at each request, so an operator's edit
/// changes what it does without a rebuild.
/// </summary>
public static class ActionWorkflows
{
    public const string RestartService = "restart-service";
    public const string StopService = "stop-service";
    public const string StartService = "start-service";
    public const string RestartApp = "restart-app";
    public const string StopApp = "stop-app";
    public const string StartApp = "start-app";
    public const string PurgeApp = "purge-app";
}
