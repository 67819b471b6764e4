using Dapper;
using Supervisor.Workflows.Storage;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Keeps the accepted target state in the supervisor database. Only documents the parser
/// accepted are stored, and only whole: a rejected document never replaces the current one.
/// The accepted target is also kept in memory once read or saved: the reconcile loop, the cloud
/// report and every API request ask for it, and this process is its only writer.
/// </summary>
public sealed class TargetStateStore(SupervisorDatabase database, TimeProvider time)
{
    /// <summary>The revision of a target read from the database: no save of this process has come yet.</summary>
    private const long FirstRevision = 1;

    private readonly Lock _gate = new();
    private StoredTargetState? _current;
    private bool _known;

    /// <summary>
    /// The revision of the newest target known (see <see cref="StoredTargetState.Revision"/>); it also tells a read
    /// racing a save that the save is newer, so that the older target is never put back.
    /// </summary>
    private long _revision = FirstRevision;

    /// <summary>Raised after a target was stored, whatever its source, so that the reconciler applies it at once.</summary>
    public event EventHandler? Accepted;

    public async Task SaveAsync(TargetState state, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO target_state (id, json, source, accepted_at) VALUES (1, @json, @source, @at)
            ON CONFLICT (id) DO UPDATE SET json = excluded.json, source = excluded.source, accepted_at = excluded.accepted_at;
            """,
            new { json = state.Json, source, at }).ConfigureAwait(false);
        lock (_gate)
        {
            _revision++;
            _current = new StoredTargetState(state, source, DateTimeOffset.FromUnixTimeMilliseconds(at), _revision);
            _known = true;
        }

        Accepted?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>The accepted target, or null before any was accepted.</summary>
    public async Task<StoredTargetState?> GetAsync(CancellationToken cancellationToken = default)
    {
        long revision;
        lock (_gate)
        {
            if (_known)
            {
                return _current;
            }

            revision = _revision;
        }

        var read = await ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            // A save that came meanwhile is newer than what was read: keep it.
            if (_revision == revision)
            {
                (_current, _known) = (read, true);
            }

            return _current;
        }
    }

    private async Task<StoredTargetState?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string Json, string Source, long AcceptedAt)>(
            "SELECT json, source, accepted_at FROM target_state WHERE id = 1;").ConfigureAwait(false);
        if (row.Json is null)
        {
            return null;
        }

        // Stored documents were valid when accepted; one that no longer parses (a newer program's
        // document read by an older one) is reported, not silently dropped.
        var parsed = TargetStateParser.Parse(row.Json);
        return parsed.State is { } state
            ? new StoredTargetState(state, row.Source, DateTimeOffset.FromUnixTimeMilliseconds(row.AcceptedAt), FirstRevision)
            : throw new InvalidOperationException($"The stored target state no longer parses: {parsed}");
    }
}
