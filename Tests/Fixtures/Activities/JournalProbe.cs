using Dapper;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>
/// Test activity: says whether its own run is in the database while it runs, read straight from
/// the file (not through the journal, whose readers wait for runs written behind). With
/// <c>writeAhead</c> it first asks for the run to be written.
/// </summary>
public abstract class JournalProbe(SupervisorDatabase database) : WorkflowActivity<JournalProbe.Input, JournalProbe.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        if (input.WriteAhead)
        {
            await context.WriteAheadAsync(cancellationToken);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var status = await connection.QuerySingleOrDefaultAsync<string>("SELECT status FROM workflow_runs WHERE id = @id;", new { id = context.RunId });
        var steps = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_run_steps WHERE run_id = @id;", new { id = context.RunId });
        return Completed(new Output { Written = status is not null, Status = status, Steps = steps });
    }

    public sealed record Input
    {
        public bool WriteAhead { get; init; }
    }

    public sealed record Output
    {
        public required bool Written { get; init; }

        public string? Status { get; init; }

        public int Steps { get; init; }
    }
}
