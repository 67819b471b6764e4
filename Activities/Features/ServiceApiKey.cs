namespace Supervisor.Activities.Features;

/// <summary>The app (and service) a service's API key was given to: the key may act on that app only.</summary>
public sealed record ServiceApiKey(string AppUuid, long? AppId, string ServiceName);
