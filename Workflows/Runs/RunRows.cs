using System.Data;
using Dapper;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Inserts whole runs (each run, its steps, the definitions they are pinned to) in the caller's
/// transaction: one statement per table, executed once per row with the same command, so that
/// SQLite prepares each statement once per batch.
/// </summary>
internal static class RunRows
{
    private const string DefinitionSql = """
        INSERT OR IGNORE INTO workflow_definitions (content_hash, workflow_id, version, content)
        VALUES (@ContentHash, @Id, @Version, @Content);
        """;

    private const string RunSql = """
        INSERT INTO workflow_runs (id, workflow_id, version, content_hash, status, origin, input, reason, message, created_at, ended_at, job_id)
        VALUES (@Id, @WorkflowId, @Version, @ContentHash, @Status, @Origin, @Input, @Reason, @Message, @CreatedAt, @EndedAt, @JobId);
        """;

    private const string StepSql = """
        INSERT INTO workflow_run_steps (run_id, seq, activity_id, activity_type, attempt, started_at, ended_at, outcome, output, error)
        VALUES (@RunId, @Sequence, @ActivityId, @ActivityType, @Attempt, @StartedAt, @EndedAt, @Outcome, @Output, @Error);
        """;

    public static void Insert(IDbConnection connection, IDbTransaction transaction, IReadOnlyCollection<RunToWrite> rows)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        connection.Execute(
            DefinitionSql,
            rows.Select(r => r.Definition).DistinctBy(d => d.ContentHash, StringComparer.Ordinal)
                .Select(d => new { d.ContentHash, d.Id, d.Version, d.Content }),
            transaction);
        connection.Execute(
            RunSql,
            rows.Select(r => new
            {
                r.Run.Id,
                r.Run.WorkflowId,
                Version = r.Run.WorkflowVersion,
                r.Run.ContentHash,
                Status = r.Run.Status.ToString(),
                r.Run.Origin,
                Input = r.Run.Input.GetRawText(),
                r.Run.Reason,
                r.Run.Message,
                CreatedAt = r.Run.CreatedAt.ToUnixTimeMilliseconds(),
                EndedAt = r.Run.EndedAt?.ToUnixTimeMilliseconds(),
                r.JobId,
            }),
            transaction);
        connection.Execute(
            StepSql,
            rows.SelectMany(r => r.Run.Steps, (r, s) => new
            {
                RunId = r.Run.Id,
                s.Sequence,
                s.ActivityId,
                s.ActivityType,
                s.Attempt,
                StartedAt = s.StartedAt.ToUnixTimeMilliseconds(),
                EndedAt = s.EndedAt?.ToUnixTimeMilliseconds(),
                s.Outcome,
                Output = s.Output?.GetRawText(),
                s.Error,
            }),
            transaction);
    }
}
