namespace Supervisor.Reconciler.Apply;

/// <summary>What of one app the last apply failed at, and why: a download, a service change, a removal.</summary>
/// <param name="Message">Names the image or the step and carries the cause as the engine or the run gave it.</param>
public sealed record AppFailure(string AppUuid, string Message);
