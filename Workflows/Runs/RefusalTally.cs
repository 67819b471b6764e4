using System.Data;
using Dapper;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// The writer behind's count of refused runs: a run written behind (it changed nothing) that
/// ended Failed with a reason is a refusal. Per workflow, reason and minute of creation, the first
/// refusal is kept in full and every refusal is counted (<c>refused_run_counts</c>), so that fifty
/// clients refused by the same lock cost the journal one run and one counter a minute, not fifty
/// runs. Used by the writer behind only, one batch at a time.
/// </summary>
internal sealed class RefusalTally
{
    private const long MinuteMs = 60_000;

    private const string UpsertSql = """
        INSERT INTO refused_run_counts (workflow_id, reason, minute, count, kept_run_id)
        VALUES (@WorkflowId, @Reason, @Minute, @Count, @KeptRunId)
        ON CONFLICT (minute, workflow_id, reason) DO UPDATE
        SET count = count + excluded.count, kept_run_id = coalesce(kept_run_id, excluded.kept_run_id);
        """;

    /// <summary>The refusals kept in full in committed batches, for the minutes a batch can still add to.</summary>
    private readonly HashSet<Key> _kept = [];

    /// <summary>This batch's counts, each with the run it keeps (null if an earlier batch kept one).</summary>
    private readonly Dictionary<Key, (string? KeptRunId, int Count)> _batch = [];

    /// <summary>Counts <paramref name="run"/> if it is a refusal; true if it is to be written in full.</summary>
    public bool Keep(WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatus.Failed || run.Reason is null)
        {
            return true;
        }

        var key = new Key(run.WorkflowId, run.Reason, MinuteOf(run.CreatedAt));
        var first = !_kept.Contains(key) && !_batch.ContainsKey(key);
        _batch.TryGetValue(key, out var tally);
        _batch[key] = (first ? run.Id : tally.KeptRunId, tally.Count + 1);
        return first;
    }

    /// <summary>Adds this batch's counts to the table, in the batch's transaction.</summary>
    public void Write(IDbConnection connection, IDbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Execute(
            UpsertSql,
            _batch.Select(b => new { b.Key.WorkflowId, b.Key.Reason, b.Key.Minute, b.Value.Count, b.Value.KeptRunId }),
            transaction);
    }

    /// <summary>After the batch committed: its kept refusals hold; minutes no later run can fall in are forgotten.</summary>
    public void Committed()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        foreach (var (key, tally) in _batch)
        {
            if (tally.KeptRunId is not null)
            {
                _kept.Add(key);
            }
        }

        // A run is written behind within moments of its creation, so a batch adds to this minute
        // or the one before; older keys would only grow the set.
        var newest = _batch.Keys.Max(k => k.Minute);
        _kept.RemoveWhere(k => k.Minute < newest - MinuteMs);
        _batch.Clear();
    }

    /// <summary>
    /// After a batch that did not commit: its counts and kept runs are not there, so nothing it
    /// learnt holds, and the next refusal of each kind is kept again.
    /// </summary>
    public void Failed()
    {
        _batch.Clear();
        _kept.Clear();
    }

    public static long MinuteOf(DateTimeOffset createdAt)
    {
        var ms = createdAt.ToUnixTimeMilliseconds();
        return ms - (((ms % MinuteMs) + MinuteMs) % MinuteMs);
    }

    private readonly record struct Key(string WorkflowId, string Reason, long Minute);
}
