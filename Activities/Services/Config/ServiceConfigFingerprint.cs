using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Supervisor.Activities.Services.Config;

/// <summary>
/// A short digest of what a release declares for a service's container: its image name and its
/// <see cref="ServiceConfig"/>. The container carries it as a label, so that the planner can tell a changed service
/// from an unchanged one by comparing two strings, with no reading back of the engine's inspect output (whose
/// defaults change with every engine version). Unset members, <see langword="false"/>, zero and empty collections
/// are left out and object keys sorted: a Supervisor that learns a new field, at its default, computes the same
/// digest for a container created before it knew the field.
/// </summary>
public static class ServiceConfigFingerprint
{
    public static string Of(string image, ServiceConfig config)
    {
        ArgumentNullException.ThrowIfNull(image);
        JsonObject declared = new()
        {
            ["image"] = image,
            ["config"] = DeclaredConfigJson.Of(config),
        };
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(declared.ToJsonString()));
        return Convert.ToHexStringLower(digest, 0, 16);
    }
}
