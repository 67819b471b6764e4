using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Two ended runs are the same run when only their ids and times differ: the same definition,
/// origin, input and end, and step for step the same activities, attempts, outcomes, outputs and
/// errors.
/// </summary>
internal sealed class SameRunComparer : IEqualityComparer<RunToWrite>
{
    public static SameRunComparer Instance { get; } = new();

    public bool Equals(RunToWrite x, RunToWrite y)
    {
        var (a, b) = (x.Run, y.Run);
        if (!string.Equals(x.Definition.ContentHash, y.Definition.ContentHash, StringComparison.Ordinal)
            || !string.Equals(x.JobId, y.JobId, StringComparison.Ordinal)
            || a.Status != b.Status
            || !string.Equals(a.Origin, b.Origin, StringComparison.Ordinal)
            || !string.Equals(a.Reason, b.Reason, StringComparison.Ordinal)
            || !string.Equals(a.Message, b.Message, StringComparison.Ordinal)
            || a.EndedAt.HasValue != b.EndedAt.HasValue
            || a.Steps.Count != b.Steps.Count
            || !JsonElement.DeepEquals(a.Input, b.Input))
        {
            return false;
        }

        for (var i = 0; i < a.Steps.Count; i++)
        {
            if (!SameStep(a.Steps[i], b.Steps[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(RunToWrite obj) =>
        HashCode.Combine(obj.Definition.ContentHash, obj.Run.Status, obj.Run.Reason, obj.Run.Message, obj.Run.Steps.Count);

    private static bool SameStep(WorkflowRunStep a, WorkflowRunStep b) =>
        a.Sequence == b.Sequence
        && a.Attempt == b.Attempt
        && a.EndedAt.HasValue == b.EndedAt.HasValue
        && string.Equals(a.ActivityId, b.ActivityId, StringComparison.Ordinal)
        && string.Equals(a.ActivityType, b.ActivityType, StringComparison.Ordinal)
        && string.Equals(a.Outcome, b.Outcome, StringComparison.Ordinal)
        && string.Equals(a.Error, b.Error, StringComparison.Ordinal)
        && (a.Output, b.Output) switch
        {
            (null, null) => true,
            ({ } left, { } right) => JsonElement.DeepEquals(left, right),
            _ => false,
        };
}
