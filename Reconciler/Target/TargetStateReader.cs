using System.Collections.ObjectModel;
using System.Text.Json;
using Supervisor.Activities.Features;
using Supervisor.Activities.Images;
using Supervisor.Activities.Networks;
using Supervisor.Activities.Volumes;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Walks a target state v3 document level by level. Every level is read in full even after a problem, so the
/// document's errors are all reported together; a level returns null when anything in it was wrong.
/// </summary>
internal sealed class TargetStateReader
{
    private const string V3Shape =
        "{\"<deviceUuid>\": {\"name\", \"config\", \"apps\": {\"<appUuid>\": {\"id\", \"name\", \"class\", "
        + "\"releases\": {\"<commit>\": {\"id\", \"services\": {\"<serviceName>\": {\"id\", \"image_id\", \"image\", "
        + "\"environment\", \"labels\", \"composition\"}}, \"volumes\", \"networks\"}}}}}}";

    private const string V2Shape =
        "{\"local\": {\"apps\": {\"<appId>\": {\"commit\", \"releaseId\", \"services\": {\"<serviceId>\": {...}}}}}}";

    // The v2 keys an app carries directly; in v3 they moved under releases.<commit>.
    private static readonly string[] V2AppKeys = ["commit", "releaseId", "services"];

    private static readonly string[] AppKeys = ["id", "name", "class", "releases", "is_host", "parent_app"];
    private static readonly string[] ReleaseKeys = ["id", "services", "volumes", "networks"];
    private static readonly string[] ServiceKeys =
        ["id", "image_id", "image", "environment", "labels", "running", "contract", "composition"];

    private readonly JsonChecks checks = new();
    private readonly CompositionReader compositions;
    private readonly NetworkReader networkOptions;
    private readonly VolumeReader volumeOptions;

    public TargetStateReader()
    {
        compositions = new CompositionReader(checks);
        networkOptions = new NetworkReader(checks);
        volumeOptions = new VolumeReader(checks);
    }

    public IReadOnlyList<TargetStateError> Errors => checks.Errors;

    public TargetState? ReadDocument(JsonElement root, string json)
    {
        string path = JsonPath.Root;
        OrderedDictionary<string, JsonElement>? devices = checks.ReadObject(root, path);
        if (devices is null)
        {
            return null;
        }

        if (devices.Count == 0)
        {
            checks.Add(path, "expected one device uuid at the top level, found an empty object");
            return null;
        }

        if (IsV2Document(devices))
        {
            checks.Add(path, $"this looks like target state v2, {V2Shape}; target state v3 is expected, {V3Shape}");
            return null;
        }

        if (devices.Count > 1)
        {
            checks.Add(
                path,
                $"expected exactly one device uuid at the top level, found {devices.Count}: "
                + string.Join(", ", devices.Keys.Select(key => $"\"{key}\"")));
        }

        TargetState? first = null;
        foreach ((string uuid, JsonElement device) in devices)
        {
            TargetState? state = ReadDevice(uuid, device, JsonPath.Property(path, uuid), json);
            first ??= state;
        }

        return checks.Count == 0 ? first : null;
    }

    private TargetState? ReadDevice(string uuid, JsonElement value, string path, string json)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        // Unknown device keys are not refused, unlike those of apps, releases and services: the device object is
        // where the cloud adds device-wide fields, and none of them says what to run.
        int before = checks.Count;
        string? name = properties.TryGetValue("name", out JsonElement nameValue)
            ? checks.ReadString(nameValue, JsonPath.Property(path, "name"))
            : string.Empty;
        OrderedDictionary<string, string>? config = properties.TryGetValue("config", out JsonElement configValue)
            ? checks.ReadStringMap(configValue, JsonPath.Property(path, "config"))
            : new OrderedDictionary<string, string>();

        OrderedDictionary<string, TargetApp> apps = new(StringComparer.Ordinal);
        if (checks.TryGetRequired(properties, "apps", path, "a device needs an apps object, {} for none", out JsonElement appsValue)
            && checks.ReadObject(appsValue, JsonPath.Property(path, "apps")) is { } appElements)
        {
            foreach ((string appUuid, JsonElement app) in appElements)
            {
                if (ReadApp(appUuid, app, JsonPath.Property(JsonPath.Property(path, "apps"), appUuid)) is { } read)
                {
                    apps[appUuid] = read;
                }
            }
        }

        if (checks.Count > before || name is null || config is null)
        {
            return null;
        }

        return new TargetState
        {
            DeviceUuid = uuid,
            Name = name,
            Config = new ReadOnlyDictionary<string, string>(config),
            Apps = new ReadOnlyDictionary<string, TargetApp>(apps),
            Json = json,
        };
    }

    private TargetApp? ReadApp(string uuid, JsonElement value, string path)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        if (!properties.ContainsKey("releases") && V2AppKeys.Any(properties.ContainsKey))
        {
            checks.Add(
                path,
                "this app looks like target state v2, with commit, releaseId and services on the app itself; "
                + "target state v3 is expected, where the app holds "
                + "{\"releases\": {\"<commit>\": {\"id\", \"services\": {\"<serviceName>\": {...}}}}}");
            return null;
        }

        int before = checks.Count;
        CheckName(uuid, path, "app uuid");
        checks.RejectUnknownKeys(properties, path, "an app", AppKeys);

        long? legacyId = ReadOptional(properties, "id", path, checks.ReadInteger);
        string? name = checks.TryGetRequired(properties, "name", path, "an app needs a name", out JsonElement nameValue)
            ? checks.ReadString(nameValue, JsonPath.Property(path, "name"))
            : null;
        AppClass? appClass = properties.TryGetValue("class", out JsonElement classValue)
            ? ReadClass(classValue, JsonPath.Property(path, "class"))
            : AppClass.Fleet;
        bool? isHost = properties.TryGetValue("is_host", out JsonElement isHostValue)
            ? checks.ReadBoolean(isHostValue, JsonPath.Property(path, "is_host"))
            : false;
        string? parentApp = ReadOptional(properties, "parent_app", path, checks.ReadString);

        TargetRelease? release = null;
        string releasesPath = JsonPath.Property(path, "releases");
        if (checks.TryGetRequired(properties, "releases", path, "an app needs a releases object, {} for no release", out JsonElement releasesValue)
            && checks.ReadObject(releasesValue, releasesPath) is { } releases)
        {
            // balena takes the first release and ignores the rest; refusing is safer than running a release that
            // depends on the order the keys happened to be written in.
            if (releases.Count > 1)
            {
                checks.Add(
                    releasesPath,
                    $"an app has at most one release, found {releases.Count}: "
                    + string.Join(" and ", releases.Keys.Select(commit => $"\"{commit}\"")));
            }

            // Every release is read, so a second one's problems are reported alongside the first's.
            foreach ((string commit, JsonElement releaseValue) in releases)
            {
                TargetRelease? read = ReadRelease(commit, releaseValue, JsonPath.Property(releasesPath, commit));
                release ??= read;
            }
        }

        if (checks.Count > before || name is null || appClass is null || isHost is null)
        {
            return null;
        }

        return new TargetApp
        {
            Uuid = uuid,
            Name = name,
            Class = appClass.Value,
            LegacyId = legacyId,
            IsHost = isHost.Value,
            ParentApp = parentApp,
            Release = release,
        };
    }

    private AppClass? ReadClass(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        AppClass? appClass = text switch
        {
            "fleet" => AppClass.Fleet,
            "app" => AppClass.App,
            "block" => AppClass.Block,
            _ => null,
        };
        if (text is not null && appClass is null)
        {
            checks.Add(path, $"unknown class \"{text}\"; expected fleet, app or block");
        }

        return appClass;
    }

    private TargetRelease? ReadRelease(string commit, JsonElement value, string path)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = checks.Count;
        CheckName(commit, path, "commit");
        checks.RejectUnknownKeys(properties, path, "a release", ReleaseKeys);
        long? legacyId = ReadOptional(properties, "id", path, checks.ReadInteger);
        OrderedDictionary<string, JsonElement>? volumes = ReadComposeObjects(properties, "volumes", path);
        OrderedDictionary<string, JsonElement>? networks = ReadComposeObjects(properties, "networks", path);
        OrderedDictionary<string, VolumeConfig> volumeConfigs = new(StringComparer.Ordinal);
        foreach ((string name, JsonElement options) in volumes ?? [])
        {
            if (volumeOptions.Read(options, JsonPath.Property(JsonPath.Property(path, "volumes"), name)) is { } config)
            {
                volumeConfigs[name] = config;
            }
        }

        OrderedDictionary<string, NetworkConfig> networkConfigs = new(StringComparer.Ordinal);
        foreach ((string name, JsonElement options) in networks ?? [])
        {
            if (networkOptions.ReadNetwork(options, JsonPath.Property(JsonPath.Property(path, "networks"), name)) is { } config)
            {
                networkConfigs[name] = config;
            }
        }

        OrderedDictionary<string, TargetService> services = new(StringComparer.Ordinal);
        string servicesPath = JsonPath.Property(path, "services");
        if (properties.TryGetValue("services", out JsonElement servicesValue)
            && checks.ReadObject(servicesValue, servicesPath) is { } serviceElements)
        {
            foreach ((string name, JsonElement service) in serviceElements)
            {
                if (ReadService(name, service, JsonPath.Property(servicesPath, name), volumes?.Keys, networks?.Keys) is { } read)
                {
                    services[name] = read;
                }
            }
        }

        CheckDependencies(services, servicesPath);
        if (checks.Count > before || volumes is null || networks is null)
        {
            return null;
        }

        return new TargetRelease
        {
            Commit = commit,
            LegacyId = legacyId,
            Services = new ReadOnlyDictionary<string, TargetService>(services),
            Volumes = new ReadOnlyDictionary<string, VolumeConfig>(volumeConfigs),
            Networks = new ReadOnlyDictionary<string, NetworkConfig>(networkConfigs),
        };
    }

    /// <summary>
    /// A service may only wait for another service of its release, and never, through others, for itself: a cycle
    /// would leave every service in it waiting for ever.
    /// </summary>
    private void CheckDependencies(OrderedDictionary<string, TargetService> services, string servicesPath)
    {
        foreach (TargetService service in services.Values)
        {
            string path = JsonPath.Property(JsonPath.Property(JsonPath.Property(servicesPath, service.Name), "composition"), "depends_on");
            foreach (string missing in service.DependsOn.Where(d => !services.ContainsKey(d)))
            {
                checks.Add(path, $"depends on \"{missing}\", which is not a service of this release");
            }
        }

        HashSet<string> done = new(StringComparer.Ordinal);
        foreach (TargetService service in services.Values)
        {
            if (Cycle(service.Name, services, [], done) is { } cycle)
            {
                checks.Add(JsonPath.Property(servicesPath, service.Name), $"services depend on each other in a cycle: {string.Join(" -> ", cycle)}");
                return;
            }
        }
    }

    private static List<string>? Cycle(string name, OrderedDictionary<string, TargetService> services, List<string> trail, HashSet<string> done)
    {
        if (trail.Contains(name))
        {
            return [.. trail.SkipWhile(n => n != name), name];
        }

        if (done.Contains(name) || !services.TryGetValue(name, out TargetService? service))
        {
            return null;
        }

        trail.Add(name);
        foreach (string dependency in service.DependsOn)
        {
            if (Cycle(dependency, services, trail, done) is { } cycle)
            {
                return cycle;
            }
        }

        trail.RemoveAt(trail.Count - 1);
        done.Add(name);
        return null;
    }

    /// <summary>
    /// A release's <c>volumes</c> or <c>networks</c>: names mapped to compose options, kept as written. A null
    /// value is compose's way of saying "no options" and reads as an empty object.
    /// </summary>
    private OrderedDictionary<string, JsonElement>? ReadComposeObjects(
        OrderedDictionary<string, JsonElement> properties, string key, string path)
    {
        OrderedDictionary<string, JsonElement> objects = new(StringComparer.Ordinal);
        if (!properties.TryGetValue(key, out JsonElement value))
        {
            return objects;
        }

        string mapPath = JsonPath.Property(path, key);
        if (checks.ReadObject(value, mapPath) is not { } entries)
        {
            return null;
        }

        int before = checks.Count;
        foreach ((string name, JsonElement options) in entries)
        {
            CheckName(name, JsonPath.Property(mapPath, name), key == "volumes" ? "volume name" : "network name");
            if (options.ValueKind == JsonValueKind.Null)
            {
                objects[name] = EmptyObject();
            }
            else if (options.ValueKind == JsonValueKind.Object)
            {
                objects[name] = options.Clone();
            }
            else
            {
                checks.Expected(JsonPath.Property(mapPath, name), "an object of compose options", options);
            }
        }

        return checks.Count == before ? objects : null;
    }

    private TargetService? ReadService(
        string name, JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes, IReadOnlyCollection<string>? declaredNetworks)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = checks.Count;
        CheckName(name, path, "service name");
        checks.RejectUnknownKeys(properties, path, "a service", ServiceKeys);
        long? legacyId = ReadOptional(properties, "id", path, checks.ReadInteger);
        long? legacyImageId = ReadOptional(properties, "image_id", path, checks.ReadInteger);

        ImageReference? image = null;
        string imagePath = JsonPath.Property(path, "image");
        if (checks.TryGetRequired(properties, "image", path, "a service needs an image", out JsonElement imageValue)
            && checks.ReadString(imageValue, imagePath) is { } imageText)
        {
            try
            {
                image = ImageReference.Parse(imageText);
            }
            catch (InvalidImageReferenceException e)
            {
                checks.Add(imagePath, $"invalid image reference \"{imageText}\": {e.Reason}");
            }
        }

        OrderedDictionary<string, string>? environment = ReadOptionalMap(properties, "environment", path);
        OrderedDictionary<string, string>? labels = ReadOptionalMap(properties, "labels", path);
        bool? running = properties.TryGetValue("running", out JsonElement runningValue)
            ? checks.ReadBoolean(runningValue, JsonPath.Property(path, "running"))
            : true;

        JsonElement? contract = null;
        if (properties.TryGetValue("contract", out JsonElement contractValue))
        {
            contract = checks.ReadObject(contractValue, JsonPath.Property(path, "contract")) is null
                ? null
                : contractValue.Clone();
        }

        ServiceComposition? composition = properties.TryGetValue("composition", out JsonElement compositionValue)
            ? compositions.Read(compositionValue, JsonPath.Property(path, "composition"), declaredVolumes, declaredNetworks)
            : ServiceComposition.Default;

        CheckFeatures(labels, JsonPath.Property(path, "labels"));
        CheckFeatures(composition?.Config.Labels, JsonPath.Property(JsonPath.Property(path, "composition"), "labels"));

        if (checks.Count > before || image is null || environment is null || labels is null || running is null
            || composition is null)
        {
            return null;
        }

        return new TargetService
        {
            Name = name,
            LegacyId = legacyId,
            LegacyImageId = legacyImageId,
            Image = image,
            Running = running.Value,
            Contract = contract,
            Config = composition.Config with
            {
                Environment = Merge(composition.Config.Environment, environment),
                Labels = Merge(composition.Config.Labels, labels),
            },
            DependsOn = composition.DependsOn,
        };
    }

    /// <summary>A feature label set to true that Supervisor does not give is refused: the service would run without it.</summary>
    private void CheckFeatures(IReadOnlyDictionary<string, string>? labels, string path)
    {
        foreach (string feature in labels is null ? [] : ServiceFeatures.Unsupported(labels))
        {
            checks.Add(JsonPath.Property(path, feature), $"Supervisor does not give the feature {feature} (it gives {string.Join(", ", ServiceFeatures.Supported.Select(f => f[ServiceFeatures.Prefix.Length..]))}); remove the label or set it to 0");
        }
    }

    /// <summary>
    /// Names that become folder and Docker object names are refused here, when the target is read, so that no later
    /// step ever builds a path or a container from one that leads elsewhere (an app uuid of <c>x/../../etc</c>).
    /// </summary>
    private void CheckName(string name, string path, string what)
    {
        if (NameGrammar.Problem(name) is { } problem)
        {
            checks.Add(path, $"invalid {what}: {problem}");
        }
    }

    private OrderedDictionary<string, string>? ReadOptionalMap(
        OrderedDictionary<string, JsonElement> properties, string key, string path) =>
        properties.TryGetValue(key, out JsonElement value)
            ? checks.ReadStringMap(value, JsonPath.Property(path, key))
            : new OrderedDictionary<string, string>();

    private static T? ReadOptional<T>(
        OrderedDictionary<string, JsonElement> properties, string key, string path, Func<JsonElement, string, T?> read)
        where T : struct =>
        properties.TryGetValue(key, out JsonElement value) ? read(value, JsonPath.Property(path, key)) : null;

    private static string? ReadOptional(
        OrderedDictionary<string, JsonElement> properties, string key, string path, Func<JsonElement, string, string?> read) =>
        properties.TryGetValue(key, out JsonElement value) ? read(value, JsonPath.Property(path, key)) : null;

    /// <summary>The composition's values with the service's own laid over them, so the service's win.</summary>
    private static ReadOnlyDictionary<string, string> Merge(
        IReadOnlyDictionary<string, string> underneath, IReadOnlyDictionary<string, string> over)
    {
        OrderedDictionary<string, string> merged = new(StringComparer.Ordinal);
        foreach ((string key, string value) in underneath)
        {
            merged[key] = value;
        }

        foreach ((string key, string value) in over)
        {
            merged[key] = value;
        }

        return new ReadOnlyDictionary<string, string>(merged);
    }

    private static JsonElement EmptyObject()
    {
        using JsonDocument document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    /// <summary>
    /// v2's top level is <c>{"local": {"apps": {...}}}</c> with apps carrying their release directly. Detected for
    /// the whole document, so its author gets one message rather than one per app.
    /// </summary>
    private static bool IsV2Document(OrderedDictionary<string, JsonElement> devices) =>
        devices.Count == 1
        && devices.TryGetValue("local", out JsonElement local)
        && local.ValueKind == JsonValueKind.Object
        && local.TryGetProperty("apps", out JsonElement apps)
        && apps.ValueKind == JsonValueKind.Object
        && apps.EnumerateObject().Any(app =>
            app.Value.ValueKind == JsonValueKind.Object
            && !app.Value.TryGetProperty("releases", out _)
            && V2AppKeys.Any(key => app.Value.TryGetProperty(key, out _)));
}
