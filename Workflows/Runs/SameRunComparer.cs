using System.Runtime.InteropServices;
using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Two ended runs are the same run when only their ids and times differ: the same definition,
/// origin, input and end, and step for step the same activities, attempts, outcomes, outputs and
/// errors. JSON (the input, the outputs) is compared as written: the runs compared here were
/// all written by this process, which writes the same value the same way.
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
            || !SameJson(a.Input, b.Input))
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

    public int GetHashCode(RunToWrite obj)
    {
        // The input is what tells a burst of requests apart; without it, runs refused for the
        // same reason would all share a bucket.
        var hash = new HashCode();
        hash.Add(obj.Definition.ContentHash, StringComparer.Ordinal);
        hash.Add(obj.Run.Status);
        hash.Add(obj.Run.Message, StringComparer.Ordinal);
        hash.AddBytes(JsonMarshal.GetRawUtf8Value(obj.Run.Input));
        return hash.ToHashCode();
    }

    private static bool SameJson(JsonElement a, JsonElement b) =>
        JsonMarshal.GetRawUtf8Value(a).SequenceEqual(JsonMarshal.GetRawUtf8Value(b));

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
            ({ } left, { } right) => SameJson(left, right),
            _ => false,
        };
}
