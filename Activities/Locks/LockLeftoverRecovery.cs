using Microsoft.Extensions.Logging;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Locks;

/// <summary>At startup, removes the lock files the supervisor held when it stopped; users' locks stay.</summary>
public sealed partial class LockLeftoverRecovery(UpdateLockFiles files, ILogger<LockLeftoverRecovery> logger) : IStartupRecovery
{
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var removed = await files.RemoveLeftoversAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            LogRemoved(logger, removed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} update-lock files the supervisor held when it stopped")]
    private static partial void LogRemoved(ILogger logger, int count);
}
