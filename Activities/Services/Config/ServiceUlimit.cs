namespace Supervisor.Activities.Services.Config;

/// <summary>One resource limit; a single compose number sets both soft and hard.</summary>
public sealed record ServiceUlimit(string Name, long Soft, long Hard);
