namespace Supervisor.Workflows.Storage;

/// <summary>
/// Work that must happen at startup after the database is migrated and before any job runs,
/// such as removing what a crash left behind.
/// </summary>
public interface IStartupRecovery
{
    Task RecoverAsync(CancellationToken cancellationToken);
}
