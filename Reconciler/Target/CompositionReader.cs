using System.Text.Json;

namespace Supervisor.Reconciler.Target;

/// <summary>Reads a service's <c>composition</c> into a <see cref="ServiceComposition"/>, recording problems.</summary>
internal sealed class CompositionReader(JsonChecks checks)
{
    private const string ShortMountForm = "\"source:target[:ro|rw]\"";

    /// <param name="declaredVolumes">
    /// The release's volume names; null when they could not be read, so that mounts are not also reported as naming
    /// undeclared volumes.
    /// </param>
    public ServiceComposition? Read(JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        OrderedDictionary<string, JsonElement>? properties = checks.ReadObject(value, path);
        if (properties is null)
        {
            return null;
        }

        int before = checks.Count;
        ServiceComposition defaults = ServiceComposition.Default;
        IReadOnlyList<string>? command = null, entrypoint = null;
        IReadOnlyDictionary<string, string>? environment = defaults.Environment, labels = defaults.Labels;
        RestartPolicy restart = defaults.Restart;
        TimeSpan stopGracePeriod = defaults.StopGracePeriod;
        List<ServiceMount> volumes = [];
        string? networkMode = null;

        // Unknown keys are left alone on purpose: compose has dozens, and a release must not be refused for using
        // one the supervisor does not act on.
        foreach ((string key, JsonElement item) in properties)
        {
            string itemPath = JsonPath.Property(path, key);
            switch (key)
            {
                case "command":
                    command = ReadWords(item, itemPath);
                    break;
                case "entrypoint":
                    entrypoint = ReadWords(item, itemPath);
                    break;
                case "environment":
                    environment = ReadPairs(item, itemPath);
                    break;
                case "labels":
                    labels = ReadPairs(item, itemPath);
                    break;
                case "restart":
                    restart = ReadRestart(item, itemPath) ?? restart;
                    break;
                case "stop_grace_period":
                    stopGracePeriod = ReadDuration(item, itemPath) ?? stopGracePeriod;
                    break;
                case "volumes":
                    ReadMounts(item, itemPath, declaredVolumes, volumes);
                    break;
                case "network_mode":
                    networkMode = checks.ReadString(item, itemPath);
                    break;
                default:
                    break;
            }
        }

        if (checks.Count > before || environment is null || labels is null)
        {
            return null;
        }

        return new ServiceComposition
        {
            Command = command,
            Entrypoint = entrypoint,
            Environment = environment,
            Labels = labels,
            Restart = restart,
            StopGracePeriod = stopGracePeriod,
            Volumes = volumes,
            NetworkMode = networkMode,
            Raw = value.Clone(),
        };
    }

    private List<string>? ReadWords(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                string text = value.GetString()!;
                List<string>? words = ShellWords.Split(text, out string problem);
                if (words is null)
                {
                    checks.Add(path, $"cannot split \"{text}\" into words: {problem}");
                }

                return words;

            case JsonValueKind.Array:
                List<string> items = [];
                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (checks.ReadString(item, JsonPath.Index(path, index++)) is { } word)
                    {
                        items.Add(word);
                    }
                }

                return items;

            default:
                checks.Expected(path, "a string or an array of strings", value);
                return null;
        }
    }

    /// <summary>
    /// Compose's two spellings of a map: an object of strings, or an array of <c>KEY=value</c> where the first '='
    /// ends the key and a key written twice takes its last value, as compose does.
    /// </summary>
    private OrderedDictionary<string, string>? ReadPairs(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return checks.ReadStringMap(value, path);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an object of strings or an array of \"KEY=value\" strings", value);
            return null;
        }

        int before = checks.Count;
        OrderedDictionary<string, string> pairs = new(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            if (checks.ReadString(item, itemPath) is not { } pair)
            {
                continue;
            }

            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                checks.Add(itemPath, $"expected \"KEY=value\", found \"{pair}\"");
                continue;
            }

            pairs[pair[..equals]] = pair[(equals + 1)..];
        }

        return checks.Count == before ? pairs : null;
    }

    private RestartPolicy? ReadRestart(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        RestartPolicy? policy = text switch
        {
            null => null,
            "no" => RestartPolicy.No,
            "always" => RestartPolicy.Always,
            "unless-stopped" => RestartPolicy.UnlessStopped,
            "on-failure" => RestartPolicy.OnFailure,
            _ => null,
        };
        if (text is not null && policy is null)
        {
            checks.Add(path, $"unknown restart policy \"{text}\"; expected no, always, unless-stopped or on-failure");
        }

        return policy;
    }

    private TimeSpan? ReadDuration(JsonElement value, string path)
    {
        string? text = checks.ReadString(value, path);
        if (text is null)
        {
            return null;
        }

        if (ComposeDuration.TryParse(text, out TimeSpan duration))
        {
            return duration;
        }

        checks.Add(path, $"invalid duration \"{text}\"; expected a compose duration such as 10s, 1m30s, 500ms or 1h");
        return null;
    }

    private void ReadMounts(
        JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes, List<ServiceMount> mounts)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Expected(path, "an array", value);
            return;
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemPath = JsonPath.Index(path, index++);
            ServiceMount? mount = item.ValueKind switch
            {
                JsonValueKind.String => ReadShortMount(item.GetString()!, itemPath, declaredVolumes),
                JsonValueKind.Object => ReadLongMount(item, itemPath, declaredVolumes),
                _ => null,
            };
            if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
            {
                checks.Expected(itemPath, $"a string {ShortMountForm} or an object", item);
            }

            if (mount is not null)
            {
                mounts.Add(mount);
            }
        }
    }

    private ServiceMount? ReadShortMount(string text, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            checks.Add(path, $"expected {ShortMountForm}, found \"{text}\"");
            return null;
        }

        bool readOnly = false;
        if (parts.Length == 3)
        {
            if (parts[2] is not ("ro" or "rw"))
            {
                checks.Add(path, $"unknown mode \"{parts[2]}\" in \"{text}\"; expected ro or rw");
                return null;
            }

            readOnly = parts[2] == "ro";
        }

        return Mount(bindsHost: parts[0].StartsWith('/'), parts[0], parts[1], readOnly, path, declaredVolumes);
    }

    private ServiceMount? ReadLongMount(JsonElement value, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        OrderedDictionary<string, JsonElement> properties = checks.ReadObject(value, path)!;
        int before = checks.Count;
        string? ReadRequired(string key) =>
            checks.TryGetRequired(properties, key, path, "a mount needs type, source and target", out JsonElement item)
                ? checks.ReadString(item, JsonPath.Property(path, key))
                : null;

        string? type = ReadRequired("type");
        string? source = ReadRequired("source");
        string? target = ReadRequired("target");
        bool readOnly = properties.TryGetValue("read_only", out JsonElement readOnlyValue)
            && (checks.ReadBoolean(readOnlyValue, JsonPath.Property(path, "read_only")) ?? false);

        if (type is not null and not ("volume" or "bind"))
        {
            checks.Add(JsonPath.Property(path, "type"), $"unsupported mount type \"{type}\"; expected volume");
        }

        if (checks.Count > before || type is null || source is null || target is null)
        {
            return null;
        }

        return Mount(bindsHost: type == "bind", source, target, readOnly, path, declaredVolumes);
    }

    /// <param name="bindsHost">The mount binds a host path (a short form whose source is absolute, or a long <c>bind</c>).</param>
    private ServiceMount? Mount(
        bool bindsHost, string source, string target, bool readOnly, string path, IReadOnlyCollection<string>? declaredVolumes)
    {
        int before = checks.Count;

        // balena never lets a release mount the device's host (it drops such binds with a warning; only its feature
        // labels bind host paths). Dropping it here would run the service without what it asked for, so it is refused.
        // A relative path would be resolved against a compose file the device never sees, so it is refused rather
        // than taken as a volume name that merely looks like a path.
        if (bindsHost)
        {
            checks.Add(path, $"binds the host path \"{source}\": a release cannot mount the device's host; mount a named volume declared in the release's volumes");
        }
        else if (source.Length == 0 || source[0] is '.' or '~' || source.Contains('/', StringComparison.Ordinal))
        {
            checks.Add(path, $"\"{source}\" is not a volume name: a release mounts named volumes declared in its volumes");
        }
        else if (declaredVolumes is not null && !declaredVolumes.Contains(source))
        {
            checks.Add(path, $"the volume \"{source}\" is not declared in the release's volumes");
        }

        if (!target.StartsWith('/'))
        {
            checks.Add(path, $"the target \"{target}\" must be an absolute path in the container");
        }

        return checks.Count == before ? new ServiceMount(source, target, readOnly) : null;
    }
}
