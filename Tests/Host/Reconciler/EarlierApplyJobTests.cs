using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Reconciler;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Host.Reconciler;

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
}
