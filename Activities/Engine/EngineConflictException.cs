namespace Supervisor.Activities.Engine;

/// <summary>
/// The engine answered 409: the request clashes with the engine's state, for example removing a
/// tag whose image a container still uses, or creating a container under a name already taken.
/// </summary>
public sealed class EngineConflictException : EngineException
{
    public EngineConflictException(string operation, string message, Exception? innerException = null)
        : base(operation, message, innerException)
    {
    }
}
