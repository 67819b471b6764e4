using Dapper;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.TargetState;

/// <summary>
/// Keeps the accepted target state in the supervisor database. Only documents the parser
/// accepted are stored, and only whole: a rejected document never replaces the current one.
/// </summary>
public sealed class TargetStateStore(SupervisorDatabase database, TimeProvider time)
{
    /// <summary>Raised after a target was stored, whatever its source, so that the reconciler applies it at once.</summary>
    public event EventHandler? Accepted;

    public async Task SaveAsync(TargetState state, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO target_state (id, json, source, accepted_at) VALUES (1, @json, @source, @at)
            ON CONFLICT (id) DO UPDATE SET json = excluded.json, source = excluded.source, accepted_at = excluded.accepted_at;
            """,
            new { json = state.Json, source, at = time.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
        Accepted?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>The accepted target, or null before any was accepted.</summary>
    public async Task<StoredTargetState?> GetAsync(CancellationToken cancellationToken = default)
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
            ? new StoredTargetState(state, row.Source, DateTimeOffset.FromUnixTimeMilliseconds(row.AcceptedAt))
            : throw new InvalidOperationException($"The stored target state no longer parses: {parsed}");
    }
}
