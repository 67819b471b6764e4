using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Apply;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>
/// An apply job queued by the version before the loop handed its plan over (signature
/// <c>ApplyAsync(reason, force, context, token)</c>) still runs after the supervisor is updated:
/// it ends, and the loop learns that it did, instead of waiting for it until ApplyStuckAfter.
/// </summary>
public sealed class EarlierApplyJobTests : IAsyncLifetime
{
    private readonly string _lockRoot = Directory.CreateTempSubdirectory("supervisor-earlier-apply-").FullName;
    private SupervisorHostFactory _host = null!;

    public Task InitializeAsync()
    {
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:LocalMode"] = "true", ["Supervisor:LockRoot"] = _lockRoot },
            SupervisorHostFactory.Shipped([]));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_lockRoot, recursive: true);
    }

    [Fact]
    public async Task A_job_of_the_earlier_signature_runs_to_its_end_and_tells_the_loop()
    {
        var status = _host.Services.GetRequiredService<ApplyStatus>();
        var jobs = _host.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = _host.Services.GetRequiredService<JobStorage>();

        // As Hangfire finds a stored job's method: by name and parameter types.
        var method = typeof(ApplyJob).GetMethod("ApplyAsync", [typeof(string), typeof(bool), typeof(PerformContext), typeof(CancellationToken)]);
        Assert.True(method is not null, "ApplyJob has no ApplyAsync(string, bool, PerformContext, CancellationToken): a job queued by the earlier version cannot run");
        var jobId = jobs.Create(
            new Hangfire.Common.Job(typeof(ApplyJob), method, "earlier version", false, null, CancellationToken.None),
            new EnqueuedState(ApplyJob.Queue));

        await Eventually.TrueAsync(
            () =>
            {
                using var connection = storage.GetConnection();
                return connection.GetStateData(jobId)?.Name == SucceededState.StateName;
            },
            TimeSpan.FromSeconds(30),
            $"the earlier apply job {jobId} succeeded");
        Assert.NotNull(status.Current.LastApplyEndedAt);
        Assert.False(status.Current.Applying);
    }

    [Fact]
    public async Task A_job_stored_under_the_apply_jobs_earlier_type_name_runs()
    {
        var jobs = _host.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = _host.Services.GetRequiredService<JobStorage>();
        var method = typeof(ApplyJob).GetMethod("ApplyAsync", [typeof(string), typeof(bool), typeof(PerformContext), typeof(CancellationToken)])!;
        // Scheduled far ahead, so that no worker takes it before its stored type name is the old one.
        var jobId = jobs.Create(
            new Hangfire.Common.Job(typeof(ApplyJob), method, "stored by the earlier version", false, null, CancellationToken.None),
            new ScheduledState(TimeSpan.FromDays(1)));

        // As the version before the reconciler's own project stored it: the type's old namespace and assembly.
        using (var database = new SqliteConnection($"Data Source={Path.Combine(_host.DataDir, "hangfire.db")}"))
        {
            database.Open();
            using var command = database.CreateCommand();
            command.CommandText = "UPDATE Job SET InvocationData = replace(InvocationData, $new, $old) WHERE Id = $id";
            command.Parameters.AddWithValue("$new", "Supervisor.Reconciler.Apply.ApplyJob, Supervisor.Reconciler");
            command.Parameters.AddWithValue("$old", "Supervisor.Activities.Reconciler.ApplyJob, Supervisor.Activities");
            command.Parameters.AddWithValue("$id", jobId);
            Assert.Equal(1, command.ExecuteNonQuery());
            command.CommandText = "SELECT InvocationData FROM Job WHERE Id = $id";
            Assert.Contains("\"Supervisor.Activities.Reconciler.ApplyJob, Supervisor.Activities\"", (string)command.ExecuteScalar()!, StringComparison.Ordinal);
        }

        Assert.True(jobs.ChangeState(jobId, new EnqueuedState(ApplyJob.Queue)), $"job {jobId} could not be queued");
        await Eventually.TrueAsync(
            () =>
            {
                using var connection = storage.GetConnection();
                return connection.GetStateData(jobId)?.Name == SucceededState.StateName;
            },
            TimeSpan.FromSeconds(30),
            $"the apply job {jobId} stored under its earlier type name succeeded");
    }
}
