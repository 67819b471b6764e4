using Supervisor.Host.Api;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// What the v1/v2 action endpoints need, bound as one handler parameter (<c>[AsParameters]</c>): each member
/// comes from dependency injection, so no endpoint resolves a service by hand. Marking services stopped through
/// the API and asking the reconciler for a pass are not here: they are steps of the action's workflow.
/// </summary>
/// <param name="Apps">Finds the target app a request names by its numeric id.</param>
/// <param name="Launcher">Runs the action's workflow and turns its end into the answer.</param>
public sealed record ActionServices(LegacyAppResolver Apps, ActionLauncher Launcher);
