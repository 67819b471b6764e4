namespace Supervisor.Activities.Engine;

/// <summary>
/// The engine could not be reached or did not answer in time: the socket is missing, the
/// connection was refused or dropped, or no response came before the request timeout.
/// Callers treat it as "try again later" (the device API answers 503).
/// </summary>
public sealed class EngineUnreachableException : EngineException
{
    public EngineUnreachableException(string operation, string message, Exception? innerException = null)
        : base(operation, message, innerException)
    {
    }
}
