using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// balena's v2 "local" target state, the one <c>balena push</c> sends: <c>{"local": {"name", "config", "apps":
/// {"&lt;appId&gt;": {"name", "commit", "releaseId", "services": {"&lt;serviceId&gt;": {"serviceName", "image",
/// "imageId", "environment", "labels", "running", ...compose options}}, "volumes", "networks"}}}}</c>.
/// </summary>
/// <remarks>
/// It is converted to v3 as balena converts it (<c>fromV2TargetState</c> in balena's <c>src/lib/legacy.ts</c>, local
/// mode): the app id becomes the app uuid, the commit the release's key, <c>releaseId</c> its id, each service is
/// keyed by its <c>serviceName</c> with its id from its key, <c>imageId</c> as <c>image_id</c>, and every other
/// service key goes into <c>composition</c>. The v3 document is then validated as any other, and its errors are
/// reported at the v2 paths the author wrote.
/// </remarks>
public static class TargetStateV2
{
    private static readonly string[] TopKeys = ["local", "dependent"];
    private static readonly string[] LocalKeys = ["name", "config", "apps"];
    private static readonly string[] AppKeys = ["name", "commit", "releaseId", "services", "volumes", "networks"];

    // Service keys that are the service's own in v3; every other key is a compose option.
    private static readonly string[] ServiceOwnKeys = ["serviceName", "serviceId", "image", "imageId", "environment", "labels", "running", "contract"];

    /// <summary>A document whose top level holds <c>local</c> is v2: no v3 device is named <c>local</c> by balena's cloud.</summary>
    public static bool IsV2(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("local", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Converts and validates a v2 document for the device <paramref name="deviceUuid"/>; refused whole, every error at its v2 path.</summary>
    public static TargetStateParseResult Parse(string json, string deviceUuid)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(deviceUuid);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return TargetStateParser.Parse(json);
        }

        Conversion conversion = new(deviceUuid);
        string? v3;
        try
        {
            v3 = conversion.Convert(root);
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses a key written twice when it is first read.
            return TargetStateParseResult.Refused([new TargetStateError(JsonPath.Root, $"a key is written more than once, so the document does not say one thing: {e.Message}")]);
        }

        if (v3 is null)
        {
            return TargetStateParseResult.Refused(conversion.Errors);
        }

        TargetStateParseResult parsed = TargetStateParser.Parse(v3);
        return parsed.IsValid
            ? parsed
            : TargetStateParseResult.Refused([.. parsed.Errors.Select(e => e with { Path = conversion.ToV2Path(e.Path) })]);
    }

    /// <summary>
    /// The v3 document <paramref name="v3Json"/> in v2's shape, <c>{"local": {"name", "config", "apps"}}</c>, as balena's
    /// <c>GET /v2/local/target-state</c> answers and <c>balena push</c> reads: posting it back sets the same target.
    /// </summary>
    public static JsonObject ToLocal(string? v3Json, string deviceName)
    {
        JsonObject apps = [];
        JsonObject local = new() { ["name"] = deviceName, ["config"] = new JsonObject(), ["apps"] = apps };
        if (v3Json is null || JsonNode.Parse(v3Json) is not JsonObject devices || devices.FirstOrDefault().Value is not JsonObject device)
        {
            return new JsonObject { ["local"] = local };
        }

        local["name"] = device["name"]?.DeepClone() ?? deviceName;
        local["config"] = device["config"]?.DeepClone() ?? new JsonObject();
        foreach ((string uuid, JsonNode? appNode) in device["apps"] as JsonObject ?? [])
        {
            if (appNode is not JsonObject app)
            {
                continue;
            }

            JsonObject v2App = new() { ["name"] = app["name"]?.DeepClone() };
            if ((app["releases"] as JsonObject)?.FirstOrDefault() is { Value: JsonObject release } first)
            {
                v2App["commit"] = first.Key;
                v2App["releaseId"] = release["id"]?.DeepClone();
                JsonObject services = [];
                foreach ((string name, JsonNode? serviceNode) in release["services"] as JsonObject ?? [])
                {
                    if (serviceNode is JsonObject service)
                    {
                        string id = service["id"]?.ToJsonString() ?? name;
                        services[id] = ToV2Service(name, service);
                    }
                }

                v2App["services"] = services;
                v2App["volumes"] = release["volumes"]?.DeepClone() ?? new JsonObject();
                v2App["networks"] = release["networks"]?.DeepClone() ?? new JsonObject();
            }

            apps[app["id"]?.ToJsonString() ?? uuid] = v2App;
        }

        return new JsonObject { ["local"] = local };
    }

    private static JsonObject ToV2Service(string name, JsonObject service)
    {
        JsonObject v2 = [];
        foreach ((string key, JsonNode? value) in service["composition"] as JsonObject ?? [])
        {
            v2[key] = value?.DeepClone();
        }

        v2["serviceName"] = name;
        v2["serviceId"] = service["id"]?.DeepClone();
        v2["image"] = service["image"]?.DeepClone();
        v2["imageId"] = service["image_id"]?.DeepClone();
        v2["running"] = service["running"]?.DeepClone() ?? true;
        v2["environment"] = service["environment"]?.DeepClone() ?? new JsonObject();
        v2["labels"] = service["labels"]?.DeepClone() ?? new JsonObject();
        if (service["contract"] is { } contract)
        {
            v2["contract"] = contract.DeepClone();
        }

        return v2;
    }

    /// <summary>One conversion: the v3 document it builds, the v2 errors it found, and where each v3 path came from.</summary>
    private sealed class Conversion(string deviceUuid)
    {
        private readonly List<TargetStateError> errors = [];

        // v3 path prefix → the v2 path it was written at; the longest matching prefix wins.
        private readonly List<(string V3, string V2)> paths = [];

        public IReadOnlyList<TargetStateError> Errors => errors;

        public string? Convert(JsonNode? root)
        {
            if (root is not JsonObject top)
            {
                Add(JsonPath.Root, "expected an object with \"local\"");
                return null;
            }

            foreach ((string key, JsonNode? value) in top)
            {
                if (!TopKeys.Contains(key, StringComparer.Ordinal))
                {
                    Add(JsonPath.Property(JsonPath.Root, key), $"unknown key \"{key}\" in a v2 target state; expected local (and an empty dependent)");
                }
                else if (key == "dependent" && !IsEmptyDependent(value))
                {
                    Add(JsonPath.Property(JsonPath.Root, key), "dependent devices and apps are not supported (balena dropped them too); send an empty dependent or none");
                }
            }

            string localPath = JsonPath.Property(JsonPath.Root, "local");
            string devicePath = JsonPath.Property(JsonPath.Root, deviceUuid);
            Map(devicePath, localPath);
            if (top["local"] is not JsonObject local)
            {
                Add(localPath, "expected an object {\"name\", \"config\", \"apps\"}");
                return null;
            }

            Unknown(local, localPath, "local", LocalKeys);
            JsonObject device = new()
            {
                ["name"] = local["name"]?.DeepClone() ?? string.Empty,
                ["config"] = local["config"]?.DeepClone() ?? new JsonObject(),
            };
            JsonObject apps = [];
            device["apps"] = apps;
            string appsPath = JsonPath.Property(localPath, "apps");
            if (local["apps"] is { } appsNode and not JsonObject)
            {
                Add(appsPath, "expected an object of apps by app id");
            }

            foreach ((string id, JsonNode? appNode) in local["apps"] as JsonObject ?? [])
            {
                string appPath = JsonPath.Property(appsPath, id);
                if (!IsId(id))
                {
                    Add(appPath, $"an app's key is its numeric app id, found \"{id}\"");
                    continue;
                }

                if (appNode is not JsonObject app)
                {
                    Add(appPath, "expected an app object {\"name\", \"commit\", \"releaseId\", \"services\", \"volumes\", \"networks\"}");
                    continue;
                }

                apps[id] = ConvertApp(id, app, appPath, JsonPath.Property(JsonPath.Property(devicePath, "apps"), id));
            }

            return errors.Count == 0 ? new JsonObject { [deviceUuid] = device }.ToJsonString() : null;
        }

        public string ToV2Path(string v3Path)
        {
            (string V3, string V2) best = paths
                .Where(p => v3Path == p.V3 || (v3Path.StartsWith(p.V3, StringComparison.Ordinal) && v3Path[p.V3.Length] is '.' or '['))
                .MaxBy(p => p.V3.Length);
            return best.V3 is null ? v3Path : best.V2 + v3Path[best.V3.Length..];
        }

        private JsonObject ConvertApp(string id, JsonObject app, string path, string v3Path)
        {
            Map(v3Path, path);
            Unknown(app, path, "an app", AppKeys);
            JsonObject releases = [];
            JsonObject v3 = new() { ["id"] = long.Parse(id, CultureInfo.InvariantCulture), ["name"] = app["name"]?.DeepClone(), ["class"] = "fleet", ["releases"] = releases };
            Map(JsonPath.Property(v3Path, "releases"), path);
            if (app["commit"] is null)
            {
                // balena: an app without a commit has no release, so nothing of it runs.
                return v3;
            }

            if (app["commit"] is not JsonValue commitValue || !commitValue.TryGetValue(out string? commit) || commit.Length == 0)
            {
                Add(JsonPath.Property(path, "commit"), $"expected the release's commit as a string, found {app["commit"]!.ToJsonString()}");
                return v3;
            }

            string releasePath = JsonPath.Property(JsonPath.Property(v3Path, "releases"), commit);
            Map(releasePath, path);
            Map(JsonPath.Property(releasePath, "id"), JsonPath.Property(path, "releaseId"));
            JsonObject release = [];
            if (Id(app["releaseId"], JsonPath.Property(path, "releaseId"), "releaseId") is { } releaseId)
            {
                release["id"] = releaseId;
            }

            JsonObject services = [];
            release["services"] = services;
            string servicesPath = JsonPath.Property(path, "services");
            foreach ((string serviceId, JsonNode? serviceNode) in app["services"] as JsonObject ?? [])
            {
                string servicePath = JsonPath.Property(servicesPath, serviceId);
                if (!IsId(serviceId))
                {
                    Add(servicePath, $"a service's key is its numeric service id, found \"{serviceId}\"");
                }
                else if (serviceNode is not JsonObject service)
                {
                    Add(servicePath, "expected a service object {\"serviceName\", \"image\", \"imageId\", ...}");
                }
                else if (ConvertService(serviceId, service, servicePath, JsonPath.Property(releasePath, "services")) is { } converted)
                {
                    if (!services.TryAdd(converted.Name, converted.Service))
                    {
                        Add(JsonPath.Property(servicePath, "serviceName"), $"another service of this app is named \"{converted.Name}\" too");
                    }
                }
            }

            if (app["services"] is { } servicesNode and not JsonObject)
            {
                Add(servicesPath, "expected an object of services by service id");
            }

            release["volumes"] = app["volumes"]?.DeepClone() ?? new JsonObject();
            release["networks"] = app["networks"]?.DeepClone() ?? new JsonObject();
            releases[commit] = release;
            return v3;
        }

        private (string Name, JsonObject Service)? ConvertService(string id, JsonObject service, string path, string v3ServicesPath)
        {
            if (service["serviceName"] is not JsonValue nameValue || !nameValue.TryGetValue(out string? name) || name.Length == 0)
            {
                Add(JsonPath.Property(path, "serviceName"), service["serviceName"] is null
                    ? "\"serviceName\" is missing; a service needs a name"
                    : $"expected the service's name as a string, found {service["serviceName"]!.ToJsonString()}");
                return null;
            }

            if (service["serviceId"] is { } declared && Id(declared, JsonPath.Property(path, "serviceId"), "serviceId") is { } declaredId
                && declaredId.ToString(CultureInfo.InvariantCulture) != id)
            {
                Add(JsonPath.Property(path, "serviceId"), $"the service id {declaredId} differs from the service's key \"{id}\"");
            }

            string v3Path = JsonPath.Property(v3ServicesPath, name);
            Map(v3Path, path);
            Map(JsonPath.Property(v3Path, "composition"), path);
            Map(JsonPath.Property(v3Path, "image_id"), JsonPath.Property(path, "imageId"));
            JsonObject composition = [];
            JsonObject v3 = new() { ["id"] = long.Parse(id, CultureInfo.InvariantCulture) };
            foreach ((string key, JsonNode? value) in service)
            {
                switch (key)
                {
                    case "serviceName" or "serviceId":
                        break;
                    case "imageId":
                        if (value is not null && Id(value, JsonPath.Property(path, key), key) is { } imageId)
                        {
                            v3["image_id"] = imageId;
                        }

                        break;
                    case var own when ServiceOwnKeys.Contains(own, StringComparer.Ordinal):
                        v3[key] = value?.DeepClone();
                        break;
                    default:
                        composition[key] = value?.DeepClone();
                        break;
                }
            }

            v3["composition"] = composition;
            return (name, v3);
        }

        /// <summary>An id written as a number or, as balena's CLI writes <c>releaseId</c>, a string of digits.</summary>
        private long? Id(JsonNode? value, string path, string what)
        {
            if (value is JsonValue number && number.TryGetValue(out long asNumber) && asNumber > 0)
            {
                return asNumber;
            }

            if (value is JsonValue text && text.TryGetValue(out string? asText) && IsId(asText))
            {
                return long.Parse(asText, CultureInfo.InvariantCulture);
            }

            Add(path, $"expected {what} as a positive integer (a number or a string of digits), found {value?.ToJsonString() ?? "nothing"}");
            return null;
        }

        private static bool IsId(string text) =>
            text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit) && text[0] != '0';

        private static bool IsEmptyDependent(JsonNode? value) =>
            value is null
            || (value is JsonObject dependent && dependent.All(p => p.Value is null || (p.Value is JsonObject o && o.Count == 0)));

        private void Unknown(JsonObject value, string path, string what, string[] allowed)
        {
            foreach ((string key, _) in value)
            {
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    Add(JsonPath.Property(path, key), $"unknown key \"{key}\" in {what}; expected {string.Join(", ", allowed)}");
                }
            }
        }

        private void Map(string v3, string v2) => paths.Add((v3, v2));

        private void Add(string path, string message) => errors.Add(new TargetStateError(path, message));
    }
}
