namespace Supervisor.Activities.Engine;

/// <summary>The engine answered 404: the image, tag or container named does not exist.</summary>
public sealed class EngineNotFoundException : EngineException
{
    public EngineNotFoundException(string operation, string message, Exception? innerException = null)
        : base(operation, message, innerException)
    {
    }
}
