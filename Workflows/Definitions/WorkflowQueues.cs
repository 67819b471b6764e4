namespace Supervisor.Workflows.Definitions;

/// <summary>The Hangfire queues background runs go through.</summary>
public static class WorkflowQueues
{
    /// <summary>Everything without a queue of its own.</summary>
    public const string Default = "default";

    /// <summary>Image downloads: a few workers, so several fetches run at once.</summary>
    public const string Fetch = "fetch";

    /// <summary>Image removals: exactly one worker, so tags go strictly one at a time, in order.</summary>
    public const string Removal = "removal";

    public static IReadOnlyList<string> All { get; } = [Removal, Fetch, Default];
}
