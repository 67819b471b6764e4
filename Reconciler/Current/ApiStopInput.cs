using System.ComponentModel;

namespace Supervisor.Reconciler.Current;

/// <summary>What the API-stop activities take: the services, and whether the device API asked for the run.</summary>
public sealed record ApiStopInput
{
    [Description("The app.")]
    public required string AppUuid { get; init; }

    [Description("One service.")]
    public string? ServiceName { get; init; }

    [Description("Services of the app (a definition cannot put a reference inside an array literal, hence serviceName as well).")]
    public IReadOnlyList<string> Services { get; init; } = [];

    [Description("True when the device API launched the run (its input says so); otherwise the activity does nothing, so the reconciler's own runs of a shared definition mark nothing.")]
    public bool ApiAction { get; init; }

    /// <summary><see cref="Services"/> and <see cref="ServiceName"/>, once each.</summary>
    public IReadOnlyList<string> AllServices() =>
        [.. Services.Concat(ServiceName is null ? [] : [ServiceName]).Distinct(StringComparer.Ordinal)];
}
