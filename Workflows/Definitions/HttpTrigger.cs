namespace Supervisor.Workflows.Definitions;

/// <summary>
/// An endpoint of the operator's own: <paramref name="Route"/> is an ASP.NET route template under
/// <c>/workflows/</c>, e.g. <c>/workflows/apps/{appId}/blink</c>.
/// </summary>
public sealed record HttpTrigger(string Method, string Route);
