namespace Supervisor.Workflows.Activities;

/// <summary>The activity types registered with <c>AddWorkflowActivity&lt;T&gt;()</c>.</summary>
public sealed class ActivityCatalog : IActivityCatalog
{
    private readonly Dictionary<string, ActivityDescriptor> _byName;

    public ActivityCatalog(IEnumerable<ActivityRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        _byName = new Dictionary<string, ActivityDescriptor>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            var descriptor = registration.Descriptor;
            if (_byName.TryGetValue(descriptor.TypeName, out var existing) && existing.ImplementationType != descriptor.ImplementationType)
            {
                throw new InvalidOperationException(
                    $"Activity type \"{descriptor.TypeName}\" is registered twice: by {existing.ImplementationType.FullName} and {descriptor.ImplementationType.FullName}.");
            }

            _byName[descriptor.TypeName] = descriptor;
        }
    }

    public IReadOnlyCollection<ActivityDescriptor> All => _byName.Values;

    public ActivityDescriptor? Find(string typeName) => _byName.GetValueOrDefault(typeName);
}
