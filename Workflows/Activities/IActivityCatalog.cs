namespace Supervisor.Workflows.Activities;

/// <summary>The activity types this program knows, by type name.</summary>
public interface IActivityCatalog
{
    IReadOnlyCollection<ActivityDescriptor> All { get; }

    ActivityDescriptor? Find(string typeName);
}
