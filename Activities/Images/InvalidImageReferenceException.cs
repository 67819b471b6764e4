namespace Supervisor.Activities.Images;

/// <summary>
/// Thrown when text does not follow <c>[registry[:port]/]path[:tag][@algorithm:hex]</c>. The message quotes the
/// input and says what was wrong, because the reference usually comes from a target state the user wrote elsewhere
/// and the log line is all they will see.
/// </summary>
public sealed class InvalidImageReferenceException : FormatException
{
    private const string ExpectedForm =
        "Expected [registry[:port]/]path[:tag][@algorithm:hex], e.g. registry.example.com:5000/app/main:v1@sha256:<64 hex digits>.";

    public InvalidImageReferenceException(string input, string reason)
        : base($"Invalid image reference \"{input}\": {reason}. {ExpectedForm}")
    {
        Input = input;
        Reason = reason;
    }

    /// <summary>The text that failed to parse, exactly as given.</summary>
    public string Input { get; }

    /// <summary>What was wrong with <see cref="Input"/>, without the surrounding explanation.</summary>
    public string Reason { get; }
}
