namespace Supervisor.Activities.Engine;

/// <summary>
/// The engine answered with a success status but a body that could not be understood (empty,
/// malformed or missing fields we rely on). Usually something other than dockerd listens on the
/// configured endpoint, or a proxy in between mangles the answer.
/// </summary>
public sealed class EngineProtocolException : EngineException
{
    public EngineProtocolException(string operation, string message, Exception? innerException = null)
        : base(operation, message, innerException)
    {
    }
}
