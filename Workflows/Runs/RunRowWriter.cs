using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Inserts whole runs (each run, its steps, the definitions they are pinned to) in the caller's
/// transaction, with one statement per table prepared once and bound by position for every row.
/// It talks to SQLite through the connection's native handle: through <see cref="SqliteCommand"/>
/// a row costs several times the insert itself (each parameter looked up by name, a data reader
/// per execution), and hundreds of runs refused by a check are written behind together.
/// </summary>
internal sealed class RunRowWriter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _definition;
    private readonly sqlite3_stmt _run;
    private readonly sqlite3_stmt _step;
    private readonly sqlite3_stmt _repeats;
    private readonly HashSet<string> _definitionsWritten = new(StringComparer.Ordinal);

    /// <param name="connection">An open connection, within the transaction that the rows belong to.</param>
    public RunRowWriter(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _definition = Prepare("INSERT OR IGNORE INTO workflow_definitions (content_hash, workflow_id, version, content) VALUES (?1, ?2, ?3, ?4);");
        _run = Prepare("""
            INSERT INTO workflow_runs (id, workflow_id, version, content_hash, status, origin, input, reason, message, created_at, ended_at, job_id, repeats, repeat_ids)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14);
            """);
        _step = Prepare("""
            INSERT INTO workflow_run_steps (run_id, seq, activity_id, activity_type, attempt, started_at, ended_at, outcome, output, error)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);
            """);
        _repeats = Prepare("""
            UPDATE workflow_runs SET repeats = repeats + ?2, repeat_ids = CASE WHEN repeat_ids IS NULL THEN ?3 ELSE repeat_ids || ',' || ?3 END
            WHERE id = ?1;
            """);
    }

    /// <param name="repeatIds">Later runs that were this same run again (<see cref="RepeatedRuns"/>), recorded on it.</param>
    public void Insert(RunToWrite row, IReadOnlyList<string>? repeatIds = null)
    {
        var (definition, run, jobId) = row;
        if (_definitionsWritten.Add(definition.ContentHash))
        {
            Text(_definition, 1, definition.ContentHash);
            Text(_definition, 2, definition.Id);
            Number(_definition, 3, definition.Version);
            Text(_definition, 4, definition.Content);
            Execute(_definition);
        }

        Text(_run, 1, run.Id);
        Text(_run, 2, run.WorkflowId);
        Number(_run, 3, run.WorkflowVersion);
        Text(_run, 4, run.ContentHash);
        Text(_run, 5, run.Status.ToString());
        Text(_run, 6, run.Origin);
        Text(_run, 7, run.Input.GetRawText());
        Text(_run, 8, run.Reason);
        Text(_run, 9, run.Message);
        Number(_run, 10, run.CreatedAt.ToUnixTimeMilliseconds());
        Number(_run, 11, run.EndedAt?.ToUnixTimeMilliseconds());
        Text(_run, 12, jobId);
        Number(_run, 13, repeatIds?.Count ?? 0);
        Text(_run, 14, repeatIds is { Count: > 0 } ? string.Join(',', repeatIds) : null);
        Execute(_run);

        foreach (var step in run.Steps)
        {
            Text(_step, 1, run.Id);
            Number(_step, 2, step.Sequence);
            Text(_step, 3, step.ActivityId);
            Text(_step, 4, step.ActivityType);
            Number(_step, 5, step.Attempt);
            Number(_step, 6, step.StartedAt.ToUnixTimeMilliseconds());
            Number(_step, 7, step.EndedAt?.ToUnixTimeMilliseconds());
            Text(_step, 8, step.Outcome);
            Text(_step, 9, step.Output?.GetRawText());
            Text(_step, 10, step.Error);
            Execute(_step);
        }
    }

    /// <summary>Adds repeats to a run written before.</summary>
    /// <returns>False if there is no such run (its batch was lost).</returns>
    public bool AddRepeats(string runId, IReadOnlyList<string> repeatIds)
    {
        ArgumentNullException.ThrowIfNull(repeatIds);
        Text(_repeats, 1, runId);
        Number(_repeats, 2, repeatIds.Count);
        Text(_repeats, 3, string.Join(',', repeatIds));
        Execute(_repeats);
        return raw.sqlite3_changes(_db) == 1;
    }

    public void Dispose()
    {
        _definition.Dispose();
        _run.Dispose();
        _step.Dispose();
        _repeats.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    private void Text(sqlite3_stmt statement, int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value));

    private void Number(sqlite3_stmt statement, int index, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(statement, index, number) : raw.sqlite3_bind_null(statement, index));

    private void Execute(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);

        // Reset before reporting: a statement left mid-step would keep the transaction's locks.
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }
}
