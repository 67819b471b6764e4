using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Tests.Fixtures;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Host.StepEngine;

/// <summary>
/// The journal as <c>AddStepEngine</c> builds it (through <see cref="StepEngineFixture"/>, which
/// uses that wiring): what it cannot write reaches the log.
/// </summary>
public sealed class JournalWiringTests
{
    private static readonly Dictionary<string, string> Definitions = new()
    {
        ["refused"] = """
            { "id": "refused", "version": 1, "start": "locked",
              "activities": { "locked": { "type": "Fail", "inputs": { "reason": "Locked", "message": "Updates are locked" } } } }
            """,
    };

    [Fact]
    public async Task A_run_the_journal_cannot_write_behind_is_logged_as_an_error()
    {
        await using var engine = await StepEngineFixture.StartAsync(Definitions);
        await using (var connection = await engine.Services.GetRequiredService<SupervisorDatabase>().OpenAsync())
        {
            // Any insert of a run fails, as on a full disk, but only this write does: the run itself
            // is refused before anything needed it on disk, so it is answered, then written behind.
            await connection.ExecuteAsync("CREATE TRIGGER refuse_runs BEFORE INSERT ON workflow_runs BEGIN SELECT RAISE(ABORT, 'no room for runs'); END;");
        }

        var run = await engine.StartInMemoryAsync("refused");

        Assert.Equal((RunStatus.Failed, "Locked"), (run.Status, run.Reason));
        await Eventually.TrueAsync(
            () => engine.Logs.Contains("Could not write 1 ended runs to the journal"), TimeSpan.FromSeconds(10), "the failed write behind logged");
        Assert.Contains(engine.Logs.Messages, m => m.Contains("no room for runs", StringComparison.Ordinal));
    }
}
