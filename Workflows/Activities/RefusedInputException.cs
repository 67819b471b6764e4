namespace Supervisor.Workflows.Activities;

/// <summary>
/// Thrown by an activity, or by what it calls, when an input is a value it must not act on (a
/// name that would lead out of the folder it names something in). The runner ends the run
/// Failed with reason <c>Invalid</c>, not Faulted: the caller gave a wrong input, which the
/// device API answers 400, while a fault is the device's trouble (503).
/// </summary>
public sealed class RefusedInputException(string message) : Exception(message);
