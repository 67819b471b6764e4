namespace Supervisor.Activities.Services.Config;

/// <summary>
/// A compose <c>healthcheck</c>. A member left null keeps the image's; <c>disable: true</c> is the test
/// <c>["NONE"]</c>, as Docker writes it.
/// </summary>
public sealed record ServiceHealthcheck
{
    /// <summary><c>["CMD", ...]</c>, <c>["CMD-SHELL", "..."]</c> or <c>["NONE"]</c>; a compose string is <c>CMD-SHELL</c>.</summary>
    public IReadOnlyList<string>? Test { get; init; }

    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    public TimeSpan? StartPeriod { get; init; }

    public long? Retries { get; init; }
}
