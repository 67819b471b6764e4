namespace Supervisor.Workflows.Activities;

/// <summary>The name definitions use for an activity class, when it is not the class name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
