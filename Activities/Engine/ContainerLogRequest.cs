namespace Supervisor.Activities.Engine;

/// <summary>Which of a container's lines to read: from <see cref="Since"/> (the start when null) to <see cref="Until"/>
/// (now when null), at most the last <see cref="Tail"/> of them, and, with <see cref="Follow"/>, every later one for as
/// long as the container runs.</summary>
public sealed record ContainerLogRequest
{
    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public int? Tail { get; init; }

    public bool Follow { get; init; }
}
