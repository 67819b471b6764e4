namespace Supervisor.Activities.Services.Config;

/// <summary>A host device given to the container, from <c>host[:container[:permissions]]</c>.</summary>
public sealed record ServiceDevice(string PathOnHost, string PathInContainer, string CgroupPermissions = "rwm");
