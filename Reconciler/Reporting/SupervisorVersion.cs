using System.Reflection;

namespace Supervisor.Reconciler.Reporting;

/// <summary>
/// The versions the supervisor reports. Clients written for balena check the supervisor's version before they use
/// a feature (<c>balena push</c> needs 7.21.4 or later), so <c>/v2/version</c>, <c>/v1/device</c> and the cloud
/// report give <see cref="BalenaApiLevel"/>; this program's own version is reported beside it.
/// </summary>
public static class SupervisorVersion
{
    /// <summary>The balena supervisor whose device API and behaviour Supervisor follows (balena-supervisor v19).</summary>
    public const string BalenaApiLevel = "19.0.0";

    /// <summary>This program's version: the assembly's informational version without the build metadata (<c>+commit</c>) the SDK appends.</summary>
    public static string Current { get; } =
        (typeof(SupervisorVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
