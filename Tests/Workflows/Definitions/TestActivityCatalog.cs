using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Workflows.Definitions;

/// <summary>A few activity types described by hand, enough for every loader rule.</summary>
internal sealed class TestActivityCatalog : IActivityCatalog
{
    public static TestActivityCatalog Instance { get; } = new();

    public IReadOnlyCollection<ActivityDescriptor> All { get; } =
    [
        new(
            "AcquireUpdateLocks",
            typeof(object),
            [new("appId", ValueKind.Integer, Required: true), new("force", ValueKind.Boolean, Required: false)],
            [new("message", ValueKind.String, Required: false), new("locks", ValueKind.Array, Required: false)],
            ["Acquired", "Locked"]),
        new(
            "StopService",
            typeof(object),
            [new("appId", ValueKind.Integer, Required: true), new("serviceName", ValueKind.String, Required: false)],
            [],
            ["Done"]),
        new(
            "Inspect",
            typeof(object),
            [new("value", ValueKind.Any, Required: false), new("weight", ValueKind.Number, Required: false), new("settings", ValueKind.Object, Required: false)],
            [new("details", ValueKind.Object, Required: false), new("count", ValueKind.Integer, Required: false)],
            ["Done", "Retry"]),
        new(
            "Fail",
            typeof(object),
            [new("reason", ValueKind.String, Required: true), new("message", ValueKind.String, Required: false)],
            [],
            []),
    ];

    public ActivityDescriptor? Find(string typeName) => All.FirstOrDefault(d => d.TypeName == typeName);
}
