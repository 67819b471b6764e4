using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;
using Supervisor.Host.Storage;
using Supervisor.Workflows.Storage;

namespace Supervisor.Host.Health;

/// <summary>
/// Unhealthy while <c>supervisor.db</c> cannot be used: it fails to open or its integrity check
/// (rerun at most every <see cref="DatabaseOptions.HealthCheckInterval"/>, and at once after a
/// request met a database failure), or a write failed (disk full, read-only, I/O error) within the
/// last interval, which reading the file cannot see. A restart is what repairs a damaged file
/// (its start-up check moves it aside), so whatever watches <c>/v1/healthy</c> should restart.
/// A singleton, so that the check's result is kept between calls.
/// </summary>
public sealed class DatabaseHealthCheck(DatabaseIntegrityCheck integrity, DatabaseFailures failures, IOptions<DatabaseOptions> options, TimeProvider time) : IHealthCheck
{
    private Checked? _checked;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var interval = options.Value.HealthCheckInterval;
        var last = failures.Last;
        if (last is { Problem.IsDamage: false } failed && now - failed.At < interval)
        {
            return HealthCheckResult.Unhealthy(failed.Problem.Message);
        }

        var done = Volatile.Read(ref _checked);
        if (done is null || now - done.At >= interval || (last is { } seen && seen.At >= done.At))
        {
            done = new Checked(await integrity.FindProblemAsync(cancellationToken).ConfigureAwait(false), time.GetUtcNow());
            Volatile.Write(ref _checked, done);
        }

        return done.Problem is { IsLasting: true } problem ? HealthCheckResult.Unhealthy(problem.Message) : HealthCheckResult.Healthy();
    }

    private sealed record Checked(DatabaseProblem? Problem, DateTimeOffset At);
}
