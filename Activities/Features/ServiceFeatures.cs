namespace Supervisor.Activities.Features;

/// <summary>
/// balena's feature labels: a service that carries one set to a true value (<c>1</c>, <c>true</c> or <c>on</c>,
/// any case) is given what the feature names (host paths bound in, variables, the supervisor API). The legacy
/// <c>io.resin.features.*</c> spellings count too, as on balena.
/// </summary>
public static class ServiceFeatures
{
    public const string Prefix = "io.balena.features.";

    public const string SupervisorApi = Prefix + "supervisor-api";
    public const string BalenaSocket = Prefix + "balena-socket";
    public const string Dbus = Prefix + "dbus";
    public const string Sysfs = Prefix + "sysfs";
    public const string Procfs = Prefix + "procfs";
    public const string KernelModules = Prefix + "kernel-modules";
    public const string Firmware = Prefix + "firmware";
    public const string JournalLogs = Prefix + "journal-logs";
    public const string Gpu = Prefix + "gpu";
    public const string HostOsBoardRev = Prefix + "host-os.board-rev";

    /// <summary>The features Supervisor gives; any other feature label set to true is refused with the target.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        [SupervisorApi, BalenaSocket, Dbus, Sysfs, Procfs, KernelModules, Firmware, JournalLogs, Gpu, HostOsBoardRev];

    private const string LegacyPrefix = "io.resin.features.";

    public static bool IsOn(IReadOnlyDictionary<string, string> labels, string feature)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(feature);
        return IsTrue(labels.GetValueOrDefault(feature)) || IsTrue(labels.GetValueOrDefault(LegacyName(feature)));
    }

    /// <summary>The feature labels set to true that Supervisor does not give, as the labels spell them.</summary>
    public static IEnumerable<string> Unsupported(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels
            .Where(l => IsTrue(l.Value))
            .Select(l => l.Key)
            .Where(k => k.StartsWith(LegacyPrefix, StringComparison.Ordinal) ? !Supported.Contains(BalenaName(k)) : k.StartsWith(Prefix, StringComparison.Ordinal) && !Supported.Contains(k));
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("1", StringComparison.Ordinal) || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    // balena renames resin to balena throughout a legacy label (io.resin.features.resin-api is balena-api).
    private static string BalenaName(string legacy) => legacy.Replace("resin", "balena", StringComparison.Ordinal);

    private static string LegacyName(string feature) => feature.Replace("balena", "resin", StringComparison.Ordinal);
}
