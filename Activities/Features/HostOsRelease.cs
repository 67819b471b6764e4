namespace Supervisor.Activities.Features;

/// <summary>
/// The host's <c>os-release</c> file, read once: <c>PRETTY_NAME</c> is what balena gives services as
/// <c>BALENA_HOST_OS_VERSION</c>, and <c>BOARD_REV</c> (balenaOS writes it) what
/// <c>io.balena.features.host-os.board-rev</c> gives. A host without the file gives neither.
/// </summary>
public sealed class HostOsRelease
{
    public const string DefaultPath = "/etc/os-release";

    private readonly Lazy<IReadOnlyDictionary<string, string>> _fields;

    public HostOsRelease()
        : this(DefaultPath)
    {
    }

    public HostOsRelease(string path) => _fields = new(() => Read(path));

    public string? PrettyName => _fields.Value.GetValueOrDefault("PRETTY_NAME");

    public string? BoardRevision => _fields.Value.GetValueOrDefault("BOARD_REV");

    /// <summary>The file's <c>KEY=value</c> lines, with a value's enclosing quotes taken off.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var value = line[(separator + 1)..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            fields[line[..separator].Trim()] = value;
        }

        return fields;
    }

    private static IReadOnlyDictionary<string, string> Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Dictionary<string, string>();
        }
    }
}
