using System.Text.Json;
using Supervisor.Activities.Volumes;

namespace Supervisor.Reconciler.Target;

/// <summary>Reads one volume of a release's <c>volumes</c> (compose's volume options), refusing what it cannot honour by name.</summary>
internal sealed class VolumeReader(JsonChecks checks)
{
    private static readonly string[] VolumeKeys = ["driver", "driver_opts", "labels"];

    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["external"] = "an app's volumes are the supervisor's own: it creates them with the release",
        ["name"] = "the supervisor names an app's volumes <appId>_<name>, as balena does",
    };

    public VolumeConfig? Read(JsonElement value, string path)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = checks.Count;
        foreach (string key in properties.Keys.Where(k => !VolumeKeys.Contains(k)))
        {
            checks.Add(JsonPath.Property(path, key), Refused.TryGetValue(key, out string? why)
                ? $"\"{key}\" is not supported: {why}"
                : $"unknown volume option \"{key}\"; expected one of {string.Join(", ", VolumeKeys)}");
        }

        VolumeConfig config = new()
        {
            Driver = properties.TryGetValue("driver", out JsonElement driver) ? checks.ReadString(driver, JsonPath.Property(path, "driver")) : null,
            DriverOpts = checks.ReadOptionalStringMap(properties, "driver_opts", path),
            Labels = checks.ReadOptionalStringMap(properties, "labels", path),
        };
        return checks.Count > before ? null : config;
    }
}
