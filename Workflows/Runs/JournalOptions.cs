namespace Supervisor.Workflows.Runs;

/// <summary>
/// The journal's settings. The step engine knows no host configuration: the host fills these
/// from its own keys (<c>Supervisor:JournalFlush</c>), and dependency injection hands them, with
/// a logger, to <see cref="WorkflowJournal"/>.
/// </summary>
public sealed class JournalOptions
{
    /// <summary>Which journal commits wait for the disk.</summary>
    public JournalFlush Flush { get; set; } = JournalFlush.EveryActivity;
}
