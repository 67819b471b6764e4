using Supervisor.Activities.Reconciler;
using Supervisor.Activities.TargetState;

namespace Supervisor.Host.Api;

/// <summary>
/// What the v1/v2 action endpoints need, bound as one handler parameter (<c>[AsParameters]</c>): each member
/// comes from dependency injection, so no endpoint resolves a service by hand.
/// </summary>
/// <param name="Apps">Finds the target app a request names by its numeric id.</param>
/// <param name="Launcher">Runs the action's workflow and turns its end into the answer.</param>
/// <param name="Stopped">The services stopped through the API, which the reconciler leaves stopped.</param>
/// <param name="Trigger">Asks the reconciler for a pass once an action changed what runs.</param>
public sealed record ActionServices(LegacyAppResolver Apps, ActionLauncher Launcher, ApiStoppedServices Stopped, ApplyTrigger Trigger);
