namespace Supervisor.Reconciler.Cloud;

/// <summary>How one poll of the cloud ended.</summary>
public enum PollResult
{
    /// <summary>A new target was accepted and stored.</summary>
    Accepted,

    /// <summary>The target is the one already stored (304, or the same document).</summary>
    Unchanged,

    /// <summary>The cloud sent a document that is not valid target state v3; nothing was stored.</summary>
    Rejected,

    /// <summary>The cloud could not be reached or answered with an error.</summary>
    Failed,
}
