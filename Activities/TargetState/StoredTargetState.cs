namespace Supervisor.Activities.TargetState;

/// <summary>The accepted target, where it came from (<c>local</c>, <c>cloud</c>) and when it was accepted.</summary>
public sealed record StoredTargetState(TargetState State, string Source, DateTimeOffset AcceptedAt);
