namespace Supervisor.Workflows.Activities;

/// <summary>The output of an activity that produces none.</summary>
public sealed record NoOutput
{
    public static NoOutput Instance { get; } = new();
}
