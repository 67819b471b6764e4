namespace Supervisor.Workflows.Activities;

/// <summary>The inputs an activity received at run time do not fit its input type (a reference resolved to the wrong kind).</summary>
public sealed class ActivityInputException : Exception
{
    public ActivityInputException(string activityId, string reason, Exception? innerException = null)
        : base($"The inputs of activity \"{activityId}\" do not fit its input type: {reason}", innerException)
    {
        ActivityId = activityId;
    }

    public string ActivityId { get; }
}
