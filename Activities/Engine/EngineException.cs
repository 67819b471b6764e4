namespace Supervisor.Activities.Engine;

/// <summary>
/// A failure talking to the container engine. The subclasses are the few cases the rest of the
/// supervisor acts on differently; everything else the engine reports is an <see cref="EngineErrorException"/>.
/// </summary>
public abstract class EngineException : Exception
{
    protected EngineException(string operation, string message, Exception? innerException)
        : base(message, innerException)
    {
        Operation = operation;
    }

    /// <summary>What the supervisor was doing, in words, e.g. <c>inspect image "app:v1"</c>.</summary>
    public string Operation { get; }
}
