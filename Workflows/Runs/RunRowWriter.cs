using Microsoft.Data.Sqlite;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Inserts whole runs (the run, its steps, the definition it is pinned to) within one transaction,
/// with one prepared statement per table reused for every row: a batch of hundreds of runs written
/// behind their answers parses each statement once.
/// </summary>
internal sealed class RunRowWriter : IDisposable
{
    private readonly SqliteCommand _definition;
    private readonly SqliteCommand _run;
    private readonly SqliteCommand _step;
    private readonly HashSet<string> _definitionsWritten = new(StringComparer.Ordinal);

    public RunRowWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _definition = Command(connection, transaction,
            "INSERT OR IGNORE INTO workflow_definitions (content_hash, workflow_id, version, content) VALUES ($hash, $workflow, $version, $content);",
            "$hash", "$workflow", "$version", "$content");
        _run = Command(connection, transaction,
            """
            INSERT INTO workflow_runs (id, workflow_id, version, content_hash, status, origin, input, reason, message, created_at, ended_at, job_id)
            VALUES ($id, $workflow, $version, $hash, $status, $origin, $input, $reason, $message, $created, $ended, $job);
            """,
            "$id", "$workflow", "$version", "$hash", "$status", "$origin", "$input", "$reason", "$message", "$created", "$ended", "$job");
        _step = Command(connection, transaction,
            """
            INSERT INTO workflow_run_steps (run_id, seq, activity_id, activity_type, attempt, started_at, ended_at, outcome, output, error)
            VALUES ($run, $seq, $activity, $type, $attempt, $started, $ended, $outcome, $output, $error);
            """,
            "$run", "$seq", "$activity", "$type", "$attempt", "$started", "$ended", "$outcome", "$output", "$error");
    }

    /// <param name="jobId">The Hangfire job that executes the run, for background runs.</param>
    public async Task InsertAsync(WorkflowDefinition definition, WorkflowRun run, string? jobId, CancellationToken cancellationToken)
    {
        if (_definitionsWritten.Add(definition.ContentHash))
        {
            await ExecuteAsync(_definition, cancellationToken, definition.ContentHash, definition.Id, definition.Version, definition.Content).ConfigureAwait(false);
        }

        await ExecuteAsync(_run, cancellationToken,
            run.Id, run.WorkflowId, run.WorkflowVersion, run.ContentHash, run.Status.ToString(), run.Origin, run.Input.GetRawText(),
            run.Reason, run.Message, run.CreatedAt.ToUnixTimeMilliseconds(), run.EndedAt?.ToUnixTimeMilliseconds(), jobId).ConfigureAwait(false);
        foreach (var step in run.Steps)
        {
            await ExecuteAsync(_step, cancellationToken,
                run.Id, step.Sequence, step.ActivityId, step.ActivityType, step.Attempt, step.StartedAt.ToUnixTimeMilliseconds(),
                step.EndedAt?.ToUnixTimeMilliseconds(), step.Outcome, step.Output?.GetRawText(), step.Error).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _definition.Dispose();
        _run.Dispose();
        _step.Dispose();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string text, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static Task<int> ExecuteAsync(SqliteCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
