using System.Reflection;

namespace Supervisor.Reconciler.Reporting;

/// <summary>The supervisor's version, as <c>/v2/version</c> and <c>/v1/device</c> report it.</summary>
public static class SupervisorVersion
{
    /// <summary>The assembly's informational version without the build metadata (<c>+commit</c>) the SDK appends.</summary>
    public static string Current { get; } =
        (typeof(SupervisorVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
