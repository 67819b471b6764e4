namespace Supervisor.Workflows.Activities;

/// <summary>
/// The outcomes an activity can end with, when they are not just <c>Done</c>. An empty list
/// declares an activity that always ends the run.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityOutcomesAttribute(params string[] outcomes) : Attribute
{
    public IReadOnlyList<string> Outcomes { get; } = outcomes;
}
