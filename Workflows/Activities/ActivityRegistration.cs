namespace Supervisor.Workflows.Activities;

/// <summary>One activity class made known to the catalog (a DI registration carries it).</summary>
public sealed record ActivityRegistration(ActivityDescriptor Descriptor);
