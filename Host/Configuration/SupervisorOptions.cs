using Supervisor.Activities.Configuration;

namespace Supervisor.Host.Configuration;

/// <summary>The supervisor's own settings, bound from the <c>Supervisor</c> section (see docs/configuration.md).</summary>
public sealed class SupervisorOptions
{
    public const string Section = "Supervisor";

    /// <summary>Databases and the generated API key live here.</summary>
    [SettingRequired]
    public string DataDir { get; set; } = "/var/lib/supervisor";

    /// <summary>The workflow definitions; empty means <c>workflow-definitions</c> beside the program.</summary>
    public string? WorkflowsDir { get; set; }

    /// <summary>The device API key; empty means generate one at first start and keep it in <see cref="DataDir"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Targets come from <c>POST /v2/local/target-state</c> (a developer's machine) instead of the cloud.</summary>
    public bool LocalMode { get; set; }

    /// <summary>
    /// In local mode only, let the device API answer without the key (a developer's bench, as
    /// balena's local mode does). Off by default: local mode alone never opens the API. The
    /// Hangfire dashboard keeps asking for the key.
    /// </summary>
    public bool LocalModeWithoutApiKey { get; set; }

    /// <summary>
    /// <c>POST /v1/update</c> asks the reconciler for a pass at once (204). When false, it does so
    /// only with <c>force</c>, and answers 202 otherwise.
    /// </summary>
    public bool InstantUpdates { get; set; } = true;

    /// <summary>Which journal commits wait for the disk; see <see cref="Workflows.Runs.JournalFlush"/>.</summary>
    [SettingDefined]
    public Workflows.Runs.JournalFlush JournalFlush { get; set; } = Workflows.Runs.JournalFlush.EveryActivity;

    public string ResolveWorkflowsDir() =>
        string.IsNullOrWhiteSpace(WorkflowsDir) ? Path.Combine(AppContext.BaseDirectory, "workflow-definitions") : Path.GetFullPath(WorkflowsDir);
}
