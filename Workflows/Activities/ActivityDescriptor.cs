namespace Supervisor.Workflows.Activities;

/// <summary>
/// What a definition may say about an activity type: its inputs, outputs and outcomes. The
/// loader checks definitions against it; the runner builds <see cref="ImplementationType"/>.
/// An empty <see cref="Outcomes"/> means the activity always ends the run (as <c>Fail</c> does).
/// <see cref="RerunOnResume"/> comes from <see cref="RerunOnResumeAttribute"/>,
/// <see cref="WithoutWriteAhead"/> from <see cref="WithoutWriteAheadAttribute"/>.
/// </summary>
public sealed record ActivityDescriptor(
    string TypeName,
    Type ImplementationType,
    IReadOnlyList<ActivityPort> Inputs,
    IReadOnlyList<ActivityPort> Outputs,
    IReadOnlyList<string> Outcomes,
    string? Description = null,
    bool RerunOnResume = false,
    bool WithoutWriteAhead = false);
