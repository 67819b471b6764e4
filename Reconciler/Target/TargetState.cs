namespace Supervisor.Reconciler.Target;

/// <summary>
/// What one device should run: target state v3 as the cloud (or a local-mode client) sends it, for the single
/// device the document is about. Build it with <see cref="TargetStateParser"/>, which refuses any document that
/// is not valid as a whole.
/// </summary>
public sealed class TargetState
{
    public required string DeviceUuid { get; init; }

    /// <summary>The device's name; empty when the document gave none.</summary>
    public required string Name { get; init; }

    /// <summary>Device configuration variables (<c>HOST_CONFIG_*</c>, <c>SUPERVISOR_*</c>, ...), all strings.</summary>
    public required IReadOnlyDictionary<string, string> Config { get; init; }

    /// <summary>Apps by uuid, in the order the document lists them.</summary>
    public required IReadOnlyDictionary<string, TargetApp> Apps { get; init; }

    /// <summary>
    /// The accepted document exactly as received, so it can be stored and served back verbatim rather than as a
    /// re-serialisation that drops the keys this model ignores.
    /// </summary>
    public required string Json { get; init; }
}
