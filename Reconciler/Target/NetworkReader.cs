using System.Net;
using System.Text.Json;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Reads a release's <c>networks</c> (compose's network options) and a service's <c>networks</c> (which of them it
/// joins, with its aliases and addresses there), recording every problem with its path. An option the supervisor
/// does not honour is refused by name, as for services.
/// </summary>
internal sealed class NetworkReader(JsonChecks checks)
{
    private static readonly string[] NetworkKeys = ["driver", "driver_opts", "ipam", "enable_ipv6", "internal", "labels"];
    private static readonly string[] IpamKeys = ["driver", "config", "options"];
    private static readonly string[] PoolKeys = ["subnet", "gateway", "ip_range", "aux_addresses"];
    private static readonly string[] EndpointKeys = ["aliases", "ipv4_address", "ipv6_address", "link_local_ips"];

    /// <summary>Compose network options the supervisor refuses, and why.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["external"] = "an app's networks are the supervisor's own: it creates and removes them with the release",
        ["name"] = "the supervisor names an app's networks <appUuid>_<name>, as balena does",
        ["attachable"] = "attachable is for swarm networks",
        ["config_only"] = "config-only networks serve swarm services",
    };

    /// <summary>One network of the release's <c>networks</c>; an empty object is a plain bridge.</summary>
    public NetworkConfig? ReadNetwork(JsonElement value, string path)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = checks.Count;
        foreach (string key in properties.Keys.Where(k => !NetworkKeys.Contains(k)))
        {
            checks.Add(JsonPath.Property(path, key), Refused.TryGetValue(key, out string? why)
                ? $"\"{key}\" is not supported: {why}"
                : $"unknown network option \"{key}\"; expected one of {string.Join(", ", NetworkKeys)}");
        }

        NetworkConfig config = new()
        {
            Driver = Optional(properties, "driver", path, checks.ReadString),
            DriverOpts = checks.ReadOptionalStringMap(properties, "driver_opts", path),
            Ipam = properties.TryGetValue("ipam", out JsonElement ipam) ? Ipam(ipam, JsonPath.Property(path, "ipam")) : null,
            EnableIpv6 = Optional(properties, "enable_ipv6", path, checks.ReadBoolean),
            Internal = Optional(properties, "internal", path, checks.ReadBoolean),
            Labels = checks.ReadOptionalStringMap(properties, "labels", path),
        };
        return checks.Count > before ? null : config;
    }

    /// <summary>
    /// A service's <c>networks</c>: a list of names, or a map of names to their options (or null). Each must be
    /// <c>default</c> (the app's default network) or declared in the release's <c>networks</c>.
    /// </summary>
    public List<ServiceNetwork>? ReadServiceNetworks(JsonElement value, string path, IReadOnlyCollection<string> declared)
    {
        int before = checks.Count;
        List<ServiceNetwork> networks = [];
        if (value.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                string itemPath = JsonPath.Index(path, index++);
                if (checks.ReadString(item, itemPath) is { } name && Declared(name, itemPath, declared))
                {
                    networks.Add(new ServiceNetwork { Name = name });
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in value.EnumerateObject())
            {
                string itemPath = JsonPath.Property(path, property.Name);
                if (Declared(property.Name, itemPath, declared) && Endpoint(property.Name, property.Value, itemPath) is { } network)
                {
                    networks.Add(network);
                }
            }
        }
        else
        {
            checks.Expected(path, "a list of network names or an object of networks", value);
            return null;
        }

        return checks.Count > before ? null : networks;
    }

    private bool Declared(string name, string path, IReadOnlyCollection<string> declared)
    {
        if (name == AppNetworks.DefaultName || declared.Contains(name))
        {
            return true;
        }

        checks.Add(path, $"the network \"{name}\" is not declared in the release's networks");
        return false;
    }

    private ServiceNetwork? Endpoint(string name, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new ServiceNetwork { Name = name };
        }

        if (checks.ReadObject(value, path) is not { } properties)
        {
            return null;
        }

        checks.RejectUnknownKeys(properties, path, "a service's network", EndpointKeys);
        return new ServiceNetwork
        {
            Name = name,
            Aliases = properties.TryGetValue("aliases", out JsonElement aliases) ? Strings(aliases, JsonPath.Property(path, "aliases")) : [],
            Ipv4Address = Optional(properties, "ipv4_address", path, Address),
            Ipv6Address = Optional(properties, "ipv6_address", path, Address),
            LinkLocalIps = properties.TryGetValue("link_local_ips", out JsonElement ips) ? Strings(ips, JsonPath.Property(path, "link_local_ips")) : [],
        };
    }

    private NetworkIpam? Ipam(JsonElement value, string path)
    {
        if (checks.ReadObject(value, path) is not { } properties)
        {
            return null;
        }

        checks.RejectUnknownKeys(properties, path, "ipam", IpamKeys);
        List<NetworkPool> pools = [];
        if (properties.TryGetValue("config", out JsonElement config))
        {
            string configPath = JsonPath.Property(path, "config");
            if (config.ValueKind != JsonValueKind.Array)
            {
                checks.Expected(configPath, "a list of address pools", config);
            }
            else
            {
                int index = 0;
                foreach (JsonElement item in config.EnumerateArray())
                {
                    string itemPath = JsonPath.Index(configPath, index++);
                    if (checks.ReadObject(item, itemPath) is { } pool)
                    {
                        checks.RejectUnknownKeys(pool, itemPath, "an address pool", PoolKeys);
                        pools.Add(new NetworkPool
                        {
                            Subnet = Optional(pool, "subnet", itemPath, Range),
                            Gateway = Optional(pool, "gateway", itemPath, Address),
                            IpRange = Optional(pool, "ip_range", itemPath, Range),
                            AuxAddresses = checks.ReadOptionalStringMap(pool, "aux_addresses", itemPath),
                        });
                    }
                }
            }
        }

        return new NetworkIpam
        {
            Driver = Optional(properties, "driver", path, checks.ReadString),
            Config = pools,
            Options = checks.ReadOptionalStringMap(properties, "options", path),
        };
    }

    // The engine answers a malformed address with a 500 that looks like its own failure; refusing it here names it.
    private string? Range(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        if (text is not null && !IPNetwork.TryParse(text, out _))
        {
            checks.Add(path, $"\"{text}\" is not an address range in CIDR form (such as 10.9.0.0/24)");
            return null;
        }

        return text;
    }

    private string? Address(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        // .NET also reads the short forms (10.0.0 is 10.0.0.0); the engine reads only four parts, as Go does.
        if (text is not null && (!IPAddress.TryParse(text, out _) || (!text.Contains(':', StringComparison.Ordinal) && text.Split('.').Length != 4)))
        {
            checks.Add(path, $"\"{text}\" is not an IP address");
            return null;
        }

        return text;
    }

    private List<string> Strings(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "a list of strings", value);
            return [];
        }

        List<string> strings = [];
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (checks.ReadString(item, JsonPath.Index(path, index++)) is { } text)
            {
                strings.Add(text);
            }
        }

        return strings;
    }


    private static T? Optional<T>(OrderedDictionary<string, JsonElement> properties, string key, string path, Func<JsonElement, string, T?> read) =>
        properties.TryGetValue(key, out JsonElement value) ? read(value, JsonPath.Property(path, key)) : default;
}
