namespace Supervisor.Host.Storage;

/// <summary>One device tag, as balena's <c>GET /v2/device/tags</c> lists it.</summary>
public sealed record DeviceTag(long Id, string Name, string Value);
