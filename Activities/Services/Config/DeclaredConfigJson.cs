using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Supervisor.Activities.Services.Config;

/// <summary>
/// A <see cref="ServiceConfig"/> as JSON with only what the release declared: unset members, <see langword="false"/>,
/// zero and empty collections are left out and object keys sorted. It is what the reconciler hands the
/// <c>create-service</c> workflow (short, and readable in a run's input) and what <see cref="ServiceConfigFingerprint"/>
/// digests, so that a Supervisor that learns a new field, at its default, sees an older container as unchanged.
/// </summary>
public static class DeclaredConfigJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    /// <summary>Any declared configuration (a service's, a network's) in the same canonical form.</summary>
    public static JsonObject Of<T>(T config)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(config);
        return Sorted(JsonSerializer.SerializeToNode(config, Options)!.AsObject());
    }

    /// <summary>
    /// A short digest of what <paramref name="config"/> declares, for a label on what was made from it; null when it
    /// declares nothing, so that what was made before options could be declared counts as unchanged.
    /// </summary>
    public static string? DigestOf<T>(T? config)
        where T : class
    {
        JsonObject? declared = config is null ? null : Of(config);
        return declared is null || declared.Count == 0
            ? null
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(declared.ToJsonString())), 0, 16);
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject map => Sorted(map),
        JsonArray list => new JsonArray([.. list.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    private static JsonObject Sorted(JsonObject map)
    {
        JsonObject sorted = [];
        foreach ((string key, JsonNode? value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            JsonNode? canonical = Canonical(value);
            if (canonical is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                continue;
            }

            sorted[key] = canonical;
        }

        return sorted;
    }
}
