using System.Text.Json;

namespace Supervisor.Workflows.Activities;

/// <summary>How one activity ended: an outcome with its output, or a failure that ends the run.</summary>
public sealed record ActivityResult
{
    private ActivityResult(string? outcome, JsonElement? output, ActivityFailure? failure)
    {
        Outcome = outcome;
        Output = output;
        Failure = failure;
    }

    /// <summary>The outcome; null when the activity failed the run.</summary>
    public string? Outcome { get; }

    public JsonElement? Output { get; }

    public ActivityFailure? Failure { get; }

    public static ActivityResult Ended(string outcome, JsonElement? output) => new(outcome, output, null);

    public static ActivityResult Failed(string reason, string message) => new(null, null, new ActivityFailure(reason, message));
}
