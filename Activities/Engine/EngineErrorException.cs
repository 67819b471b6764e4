using System.Net;

namespace Supervisor.Activities.Engine;

/// <summary>The engine answered with an error status other than 404 and 409 (typically 500).</summary>
public sealed class EngineErrorException : EngineException
{
    public EngineErrorException(string operation, HttpStatusCode statusCode, string message, Exception? innerException = null)
        : base(operation, message, innerException)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode StatusCode { get; }
}
