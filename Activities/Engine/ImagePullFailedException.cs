namespace Supervisor.Activities.Engine;

/// <summary>
/// A pull did not bring the image onto the engine. The engine reports most pull failures inside
/// the progress stream of an HTTP 200 answer (unknown digest, registry down, bad credentials), so
/// the message is the registry's own words as relayed by the engine.
/// </summary>
public sealed class ImagePullFailedException : EngineException
{
    public ImagePullFailedException(string operation, string image, string registryMessage, Exception? innerException = null)
        : base(operation, $"Pulling image \"{image}\" failed: {registryMessage}", innerException)
    {
        Image = image;
        RegistryMessage = registryMessage;
    }

    public string Image { get; }

    public string RegistryMessage { get; }
}
