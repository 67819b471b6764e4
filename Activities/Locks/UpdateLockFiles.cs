using Dapper;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Services;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Locks;

/// <summary>
/// The update-lock files: <c>LockRoot/APP/SERVICE/updates.lock</c> and the legacy
/// <c>resin-updates.lock</c>. A service is locked while either exists. The files the supervisor
/// creates are recorded in the database, so that a crash's leftovers can be told from a user's
/// locks: the former are removed at startup, the latter only by a forced action.
/// </summary>
public sealed class UpdateLockFiles(SupervisorDatabase database, IOptions<ServiceOptions> options, TimeProvider time)
{
    public static IReadOnlyList<string> FileNames { get; } = ["updates.lock", "resin-updates.lock"];

    public string ServiceFolder(string appKey, string serviceName) => Path.Combine(options.Value.LockRoot, appKey, serviceName);

    /// <summary>The lock files of a service that the supervisor did not create.</summary>
    public async Task<IReadOnlyList<string>> UserLocksAsync(string appKey, string serviceName, CancellationToken cancellationToken)
    {
        var present = FileNames.Select(name => Path.Combine(ServiceFolder(appKey, serviceName), name)).Where(Path.Exists).ToList();
        if (present.Count == 0)
        {
            return present;
        }

        var ours = await OwnedAsync(appKey, cancellationToken).ConfigureAwait(false);
        return present.Where(p => !ours.Contains(p)).ToList();
    }

    /// <summary>Creates the supervisor's lock files for a service; false if a user's lock appeared meanwhile.</summary>
    public async Task<bool> CreateAsync(string appKey, string serviceName, string runId, CancellationToken cancellationToken)
    {
        var folder = ServiceFolder(appKey, serviceName);
        Directory.CreateDirectory(folder);
        var ours = await OwnedAsync(appKey, cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var path in FileNames.Select(name => Path.Combine(folder, name)))
        {
            if (ours.Contains(path))
            {
                continue;
            }

            // Recorded before it is created: a crash in between leaves a record without a file, which is harmless.
            await connection.ExecuteAsync(
                "INSERT OR REPLACE INTO supervisor_locks (path, app_key, run_id, created_at) VALUES (@path, @appKey, @runId, @at);",
                new { path, appKey, runId, at = time.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
            try
            {
                // CreateNew is O_EXCL: it fails, rather than takes over, when anyone else holds the file.
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            }
            catch (IOException) when (File.Exists(path))
            {
                await connection.ExecuteAsync("DELETE FROM supervisor_locks WHERE path = @path;", new { path }).ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes the supervisor's lock files of an app (all of them, or those a run took).</summary>
    public async Task<int> ReleaseAsync(string appKey, string? runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var paths = (await connection.QueryAsync<string>(
            "SELECT path FROM supervisor_locks WHERE app_key = @appKey AND (@runId IS NULL OR run_id = @runId);", new { appKey, runId }).ConfigureAwait(false)).ToList();
        foreach (var path in paths)
        {
            File.Delete(path);
            await connection.ExecuteAsync("DELETE FROM supervisor_locks WHERE path = @path;", new { path }).ConfigureAwait(false);
        }

        return paths.Count;
    }

    /// <summary>Removes every lock file a run took, whatever the app.</summary>
    public async Task<int> ReleaseRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var apps = (await connection.QueryAsync<string>(
            "SELECT DISTINCT app_key FROM supervisor_locks WHERE run_id = @runId;", new { runId }).ConfigureAwait(false)).ToList();
        var released = 0;
        foreach (var app in apps)
        {
            released += await ReleaseAsync(app, runId, cancellationToken).ConfigureAwait(false);
        }

        return released;
    }

    /// <summary>At startup: every lock the supervisor held when it stopped is a leftover.</summary>
    public async Task<int> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var paths = (await connection.QueryAsync<string>("SELECT path FROM supervisor_locks;").ConfigureAwait(false)).ToList();
        foreach (var path in paths)
        {
            File.Delete(path);
        }

        await connection.ExecuteAsync("DELETE FROM supervisor_locks;").ConfigureAwait(false);
        return paths.Count;
    }

    private async Task<HashSet<string>> OwnedAsync(string appKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>("SELECT path FROM supervisor_locks WHERE app_key = @appKey;", new { appKey }).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
    }
}
