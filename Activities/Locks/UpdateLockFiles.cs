using System.Collections.Immutable;
using Dapper;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Paths;
using Supervisor.Activities.Services;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Locks;

/// <summary>
/// The update-lock files: <c>LockRoot/APP/SERVICE/updates.lock</c> and the legacy
/// <c>resin-updates.lock</c>. A service is locked while either exists. The files the supervisor
/// creates are recorded in the database, so that a crash's leftovers can be told from a user's
/// locks: the former are removed at startup, the latter only by a forced action. The record is
/// mirrored in memory (this process is its only writer), so that telling a user's lock apart, on
/// every refused request, reads no database.
/// </summary>
public sealed class UpdateLockFiles(SupervisorDatabase database, IOptions<ServiceOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>One change to the record (and its mirror) at a time.</summary>
    private readonly SemaphoreSlim _changes = new(1, 1);

    /// <summary>The record's rows by path; null until first read.</summary>
    private volatile ImmutableDictionary<string, OwnedLock>? _owned;

    /// <summary>The lock file a service is told to take (<c>BALENA_APP_LOCK_PATH</c>).</summary>
    public const string FileName = "updates.lock";

    /// <summary>The legacy name, which still locks the service.</summary>
    public const string LegacyFileName = "resin-updates.lock";

    /// <summary>Every name that locks a service: the one place that lists them.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [FileName, LegacyFileName];

    /// <summary><c>LockRoot/APP/SERVICE</c>; a name that would lead elsewhere is refused (<see cref="PathGuard"/>).</summary>
    public string ServiceFolder(string appKey, string serviceName) => PathGuard.Combine(options.Value.LockRoot, appKey, serviceName);

    /// <summary>
    /// The first of a service's lock files, in any of the app's folders, that a user holds, or
    /// null: enough to refuse an action, and one file-system call per folder when it is the first
    /// name (each costs microseconds, and a refused request makes little else).
    /// </summary>
    public async Task<string?> FirstUserLockAsync(IReadOnlyList<string> appKeys, string serviceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appKeys);
        foreach (var path in appKeys.SelectMany(key => LockPaths(ServiceFolder(key, serviceName))))
        {
            if (Path.Exists(path) && !(await OwnedAsync(cancellationToken).ConfigureAwait(false)).ContainsKey(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The lock files of a service, in any of the app's folders, that the supervisor did not create.</summary>
    public async Task<IReadOnlyList<string>> UserLocksAsync(IReadOnlyList<string> appKeys, string serviceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appKeys);
        var present = appKeys.SelectMany(key => LockPaths(ServiceFolder(key, serviceName))).Where(Path.Exists).ToList();
        if (present.Count == 0)
        {
            return present;
        }

        var ours = await OwnedAsync(cancellationToken).ConfigureAwait(false);
        return present.Where(p => !ours.ContainsKey(p)).ToList();
    }

    /// <summary>
    /// Whether a user holds a lock of any service in any of the app's folders: the app's updates
    /// are then locked. The supervisor's own lock files (an API action under way) do not count.
    /// </summary>
    public async Task<bool> AnyUserLockAsync(IReadOnlyList<string> appKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appKeys);
        var present = ServiceFolders(appKeys)
            .SelectMany(LockPaths)
            .Where(Path.Exists)
            .ToList();
        if (present.Count == 0)
        {
            return false;
        }

        var ours = await OwnedAsync(cancellationToken).ConfigureAwait(false);
        return present.Any(p => !ours.ContainsKey(p));
    }

    /// <summary>
    /// The services that have a lock folder in any of the app's folders: every service the
    /// supervisor created a container for has one, so these are the services an app-wide lock covers.
    /// </summary>
    public IReadOnlyList<string> ServiceNames(IReadOnlyList<string> appKeys)
    {
        ArgumentNullException.ThrowIfNull(appKeys);
        return ServiceFolders(appKeys)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(PathGuard.IsFolderName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // A key may come from a container's label, which anyone can write: one that is not a folder
    // name names no lock folder of ours.
    private IEnumerable<string> ServiceFolders(IReadOnlyList<string> appKeys) => appKeys
        .Where(PathGuard.IsFolderName)
        .Select(key => PathGuard.Combine(options.Value.LockRoot, key))
        .Where(Directory.Exists)
        .SelectMany(Directory.EnumerateDirectories);

    /// <summary>
    /// Creates the supervisor's lock files for a service of app <paramref name="appUuid"/> in the
    /// folder <paramref name="appKey"/>; false if a user's lock appeared meanwhile. They are recorded
    /// under the app's uuid, so that they are given back whichever folder they were taken in.
    /// </summary>
    public async Task<bool> CreateAsync(string appUuid, string appKey, string serviceName, string runId, CancellationToken cancellationToken)
    {
        var folder = ServiceFolder(appKey, serviceName);
        Directory.CreateDirectory(folder);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ours = await LoadedAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (var path in LockPaths(folder))
            {
                if (ours.ContainsKey(path))
                {
                    continue;
                }

                // Recorded before it is created: a crash in between leaves a record without a file, which is harmless.
                await connection.ExecuteAsync(
                    "INSERT OR REPLACE INTO supervisor_locks (path, app_key, run_id, created_at) VALUES (@path, @appKey, @runId, @at);",
                    new { path, appKey = appUuid, runId, at = time.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
                ours = ours.SetItem(path, new OwnedLock(appUuid, runId));
                _owned = ours;
                try
                {
                    // CreateNew is O_EXCL: it fails, rather than takes over, when anyone else holds the file.
                    await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                }
                catch (IOException) when (File.Exists(path))
                {
                    await connection.ExecuteAsync("DELETE FROM supervisor_locks WHERE path = @path;", new { path }).ConfigureAwait(false);
                    _owned = ours.Remove(path);
                    return false;
                }
            }

            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Removes the supervisor's lock files of an app, in whichever of its folders (all of them, or those a run took).</summary>
    public async Task<int> ReleaseAsync(string appUuid, string? runId, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReleaseWhereAsync(l => l.AppUuid == appUuid && (runId is null || l.RunId == runId), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Removes every lock file a run took, whatever the app.</summary>
    public async Task<int> ReleaseRunAsync(string runId, CancellationToken cancellationToken)
    {
        // Most runs hold none (every run's end comes here): answered from memory, without waiting in line.
        if (!(await OwnedAsync(cancellationToken).ConfigureAwait(false)).Values.Any(l => l.RunId == runId))
        {
            return 0;
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReleaseWhereAsync(l => l.RunId == runId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>At startup: every lock the supervisor held when it stopped is a leftover.</summary>
    public async Task<int> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var paths = (await connection.QueryAsync<string>("SELECT path FROM supervisor_locks;").ConfigureAwait(false)).ToList();
            foreach (var path in paths)
            {
                File.Delete(path);
            }

            await connection.ExecuteAsync("DELETE FROM supervisor_locks;").ConfigureAwait(false);
            _owned = ImmutableDictionary.Create<string, OwnedLock>(StringComparer.Ordinal);
            return paths.Count;
        }
        finally
        {
            _changes.Release();
        }
    }

    public void Dispose() => _changes.Dispose();

    /// <summary>Removes the lock files (and their rows) that match; the caller holds <see cref="_changes"/>.</summary>
    private async Task<int> ReleaseWhereAsync(Func<OwnedLock, bool> match, CancellationToken cancellationToken)
    {
        var ours = await LoadedAsync(cancellationToken).ConfigureAwait(false);
        var paths = ours.Where(entry => match(entry.Value)).Select(entry => entry.Key).ToList();
        if (paths.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var path in paths)
        {
            File.Delete(path);
            await connection.ExecuteAsync("DELETE FROM supervisor_locks WHERE path = @path;", new { path }).ConfigureAwait(false);
            ours = ours.Remove(path);
            _owned = ours;
        }

        return paths.Count;
    }

    private async Task<ImmutableDictionary<string, OwnedLock>> OwnedAsync(CancellationToken cancellationToken)
    {
        if (_owned is { } owned)
        {
            return owned;
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>The mirror, read from the database the first time; the caller holds <see cref="_changes"/>.</summary>
    private async Task<ImmutableDictionary<string, OwnedLock>> LoadedAsync(CancellationToken cancellationToken)
    {
        if (_owned is { } owned)
        {
            return owned;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Path, string AppUuid, string RunId)>(
            "SELECT path, app_key, run_id FROM supervisor_locks;").ConfigureAwait(false);
        _owned = rows.ToImmutableDictionary(r => r.Path, r => new OwnedLock(r.AppUuid, r.RunId), StringComparer.Ordinal);
        return _owned;
    }

    private static IEnumerable<string> LockPaths(string serviceFolder) => FileNames.Select(name => Path.Combine(serviceFolder, name));

    /// <summary>A lock file the supervisor created, for the app with this uuid (the record's <c>app_key</c>).</summary>
    private sealed record OwnedLock(string AppUuid, string RunId);
}
