namespace Supervisor.Workflows.Storage;

/// <summary>
/// One of the supervisor's databases cannot be used. The host reports it as one line naming the
/// file, what is wrong and what to do, and exits non-zero, instead of an unhandled exception.
/// </summary>
public sealed class DatabaseUnusableException : Exception
{
    public DatabaseUnusableException(DatabaseProblem problem, string? message = null, Exception? innerException = null)
        : base(message ?? problem?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
    }

    public DatabaseUnusableException()
    {
    }

    public DatabaseUnusableException(string message)
        : base(message)
    {
    }

    public DatabaseUnusableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What is wrong; null only when built from a bare message.</summary>
    public DatabaseProblem? Problem { get; }
}
