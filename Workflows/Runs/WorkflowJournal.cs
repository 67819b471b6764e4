using System.Data;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Storage;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Where runs and their activities are recorded, in the supervisor database. Each boundary
/// between two activities is one transaction (the end of one and the start of the next), so a
/// crash leaves either the activity open, to be run again, or the next one open.
/// <see cref="JournalFlush"/> decides which of those transactions wait for the disk. A run that
/// ended before anything needed it on disk (see <see cref="Activities.WithoutWriteAheadAttribute"/>)
/// is written behind, in one transaction with the others waiting; the journal's readers wait for
/// those writes, so a run that has been answered can always be read back. Of the refusals among
/// them, the first per workflow, reason and minute is kept and all are counted (<see cref="RefusalTally"/>).
/// </summary>
/// <remarks>
/// One constructor, with the logger required: built by dependency injection, the journal cannot
/// be made without the logger its write-behind failures go to.
/// </remarks>
public sealed partial class WorkflowJournal(SupervisorDatabase database, IOptions<JournalOptions> options, ILogger<WorkflowJournal> logger) : IDisposable
{
    /// <summary>How long disposing waits for runs still to be written behind.</summary>
    private static readonly TimeSpan DrainOnDispose = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = logger;
    private readonly JournalFlush _flush = options.Value.Flush;
    private readonly Channel<RunToWrite> _behind =
        Channel.CreateUnbounded<RunToWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _behindGate = new();
    private Task? _behindWriter;
    private long _behindQueued;
    private long _behindDone;
    private TaskCompletionSource _behindProgress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// One journal writer at a time, queued in order here rather than in SQLite: a writer that
    /// finds the database busy sleeps and retries, which turned many runs at once (fifty API calls
    /// answered 423, say) into waits of hundreds of milliseconds.
    /// </summary>
    private readonly SemaphoreSlim _writers = new(1, 1);

    /// <summary>The most ended runs written behind in one transaction.</summary>
    private const int MaxBatch = 500;

    /// <summary>How long the writer behind lets runs gather before it writes them: short, so that a batch stays a short burst of work.</summary>
    private static readonly TimeSpan BehindGather = TimeSpan.FromMilliseconds(10);

    /// <param name="jobId">The Hangfire job that executes the run, for background runs; null for inline ones.</param>
    public async Task CreateRunAsync(string runId, WorkflowDefinition definition, string origin, JsonElement input, DateTimeOffset createdAt, string? jobId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var pending = new WorkflowRun(runId, definition.Id, definition.Version, definition.ContentHash, RunStatus.Pending, origin, input, null, null, createdAt, null, []);
        await InsertAsync(definition, pending, jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run a Hangfire job created, so that a job run again after a crash resumes it instead of starting another.</summary>
    public async Task<string?> FindRunByJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM workflow_runs WHERE job_id = @jobId;", new { jobId }).ConfigureAwait(false);
    }

    /// <summary>Ties an inline run to the job that resumes it (once: a run already tied keeps its job).</summary>
    public async Task AssignJobAsync(string runId, string jobId, CancellationToken cancellationToken = default)
    {
        await using var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var connection = writer.Connection;
        await connection.ExecuteAsync(
            "UPDATE workflow_runs SET job_id = @jobId WHERE id = @runId AND job_id IS NULL;", new { runId, jobId }).ConfigureAwait(false);
    }

    /// <summary>Unfinished runs that no Hangfire job will pick up again: inline runs interrupted by a crash.</summary>
    public async Task<IReadOnlyList<string>> ListUnfinishedInlineRunIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(
            "SELECT id FROM workflow_runs WHERE status IN ('Pending', 'Running') AND job_id IS NULL ORDER BY id;").ConfigureAwait(false);
        return ids.ToList();
    }

    /// <summary>Every run not ended, oldest first, for the sweep that finds those nothing will finish.</summary>
    public async Task<IReadOnlyList<UnfinishedRun>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string WorkflowId, string? JobId)>(
            "SELECT id, workflow_id, job_id FROM workflow_runs WHERE status IN ('Pending', 'Running') ORDER BY id;").ConfigureAwait(false);
        return rows.Select(r => new UnfinishedRun(r.Id, r.WorkflowId, r.JobId)).ToList();
    }

    /// <summary>
    /// Ends a run that nothing will finish, with its open activity closed on the same message, in one
    /// transaction; false (and nothing written) when the run has ended meanwhile.
    /// </summary>
    public async Task<bool> EndUnfinishedRunAsync(string runId, RunEnd end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(end);
        await using var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var connection = writer.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ended = await connection.ExecuteAsync(
            "UPDATE workflow_runs SET status = @status, reason = @Reason, message = @Message, ended_at = @endedAt WHERE id = @runId AND status IN ('Pending', 'Running');",
            new { runId, status = end.Status.ToString(), end.Reason, end.Message, endedAt = end.EndedAt.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        if (ended == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            "UPDATE workflow_run_steps SET ended_at = @endedAt, error = @Message WHERE run_id = @runId AND ended_at IS NULL;",
            new { runId, end.Message, endedAt = end.EndedAt.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Unfinished runs that a job started as parts of its own work (their job id is
    /// <c>JOB/...</c>), oldest first: the job resumes them after a crash before it does anything new.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListUnfinishedChildRunIdsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(
            "SELECT id FROM workflow_runs WHERE status IN ('Pending', 'Running') AND substr(job_id, 1, length(@prefix)) = @prefix ORDER BY id;",
            new { prefix = jobId + "/" }).ConfigureAwait(false);
        return ids.ToList();
    }

    /// <summary>The definition text a run is pinned to.</summary>
    public async Task<string?> GetDefinitionContentAsync(string contentHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT content FROM workflow_definitions WHERE content_hash = @contentHash;", new { contentHash }).ConfigureAwait(false);
    }

    /// <summary>The run with this id, with its history; null if the journal holds no run with this id.</summary>
    public async Task<WorkflowRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await WrittenBehindAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(
            $"SELECT {RunRow.Columns} FROM workflow_runs WHERE id = @runId;", new { runId }).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var steps = await connection.QueryAsync<StepRow>(
            "SELECT * FROM workflow_run_steps WHERE run_id = @id ORDER BY seq;", new { row.id }).ConfigureAwait(false);
        return row.ToRun(steps.Select(s => s.ToStep()).ToList());
    }

    /// <summary>
    /// The refusals counted in the minute <paramref name="runId"/> was created in (a version-7 id
    /// carries that time), for an id the journal holds no run under: a run refused without
    /// changing anything may have been counted rather than kept (<see cref="RefusalTally"/>).
    /// Empty for an id of another form or a minute with no refusal counted.
    /// </summary>
    public async Task<IReadOnlyList<RefusalCount>> ListRefusalsAroundAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!RunIds.TryGetCreatedAt(runId, out var createdAt))
        {
            return [];
        }

        await WrittenBehindAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string WorkflowId, string Reason, long Minute, long Count, string? KeptRunId)>(
            "SELECT workflow_id, reason, minute, count, kept_run_id FROM refused_run_counts WHERE minute = @minute ORDER BY workflow_id, reason;",
            new { minute = RefusalTally.MinuteOf(createdAt) }).ConfigureAwait(false);
        return rows.Select(r => new RefusalCount(r.WorkflowId, r.Reason, Time(r.Minute), (int)r.Count, r.KeptRunId)).ToList();
    }

    /// <summary>Marks the run Running and records the start of its first activity, or the restart of an interrupted one.</summary>
    public async Task BeginStepAsync(string runId, StepStart start, bool restart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        await using var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var connection = writer.Connection;
        await RelaxAsync(connection).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE workflow_runs SET status = @status WHERE id = @runId;",
            new { runId, status = nameof(RunStatus.Running) },
            transaction).ConfigureAwait(false);
        if (restart)
        {
            await connection.ExecuteAsync(
                "UPDATE workflow_run_steps SET attempt = attempt + 1, started_at = @at, ended_at = NULL, outcome = NULL, output = NULL, error = NULL WHERE run_id = @runId AND seq = @seq;",
                new { runId, seq = start.Sequence, at = start.StartedAt.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
        }
        else
        {
            await InsertStepAsync(connection, transaction, runId, start).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the end of an activity together with either the start of the next one or the end
    /// of the run, in one transaction.
    /// </summary>
    public async Task EndStepAsync(string runId, StepEnd end, StepStart? next, RunEnd? runEnd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(end);
        await using var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var connection = writer.Connection;
        if (runEnd is null)
        {
            await RelaxAsync(connection).ConfigureAwait(false);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE workflow_run_steps SET ended_at = @endedAt, outcome = @Outcome, output = @output, error = @Error WHERE run_id = @runId AND seq = @Sequence;",
            new
            {
                runId,
                end.Sequence,
                endedAt = end.EndedAt.ToUnixTimeMilliseconds(),
                end.Outcome,
                output = end.Output?.GetRawText(),
                end.Error,
            },
            transaction).ConfigureAwait(false);
        if (next is not null)
        {
            await InsertStepAsync(connection, transaction, runId, next).ConfigureAwait(false);
        }

        if (runEnd is not null)
        {
            await EndRunAsync(connection, transaction, runId, runEnd).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a run without ending a step (a run that could not start, e.g. its definition is unreadable).</summary>
    public async Task EndRunAsync(string runId, RunEnd runEnd, CancellationToken cancellationToken = default)
    {
        await using var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var connection = writer.Connection;
        await EndRunAsync(connection, null, runId, runEnd).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a run that so far lived only in memory, with its steps, as one transaction that waits
    /// for the disk: the write-ahead before an activity that may change something. From here on
    /// the run is journalled boundary by boundary like any other.
    /// </summary>
    public async Task WriteAsync(WorkflowDefinition definition, WorkflowRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(run);
        await InsertAsync(definition, run, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a run with its steps (and its definition, if new) in one transaction that waits for the disk.</summary>
    private async Task InsertAsync(WorkflowDefinition definition, WorkflowRun run, string? jobId, CancellationToken cancellationToken)
    {
        await using var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var connection = writer.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        RunRows.Insert(connection, transaction, [new RunToWrite(definition, run, jobId)]);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues an ended run that changed nothing, to be written after its caller has its answer. The
    /// queued runs are written together, one transaction for as many as are waiting, without waiting
    /// for the disk: losing them to a power cut loses history, never track of the device. A refusal
    /// (ended Failed with a reason) after the first of its kind in a minute is only counted.
    /// </summary>
    public void WriteBehind(WorkflowDefinition definition, WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(run);
        Interlocked.Increment(ref _behindQueued);
        if (!_behind.Writer.TryWrite(new RunToWrite(definition, run, null)))
        {
            // Disposed: nobody is left to read it back; count it so that no reader waits for it.
            CountWrittenBehind(1);
            return;
        }

        lock (_behindGate)
        {
            _behindWriter ??= Task.Run(WriteBehindLoopAsync);
        }
    }

    public async Task<(IReadOnlyList<RunSummary> Runs, int Total)> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new List<string>();
        if (query.WorkflowId is not null)
        {
            filter.Add("workflow_id = @WorkflowId");
        }

        if (query.Status is not null)
        {
            filter.Add("status = @status");
        }

        await WrittenBehindAsync(cancellationToken).ConfigureAwait(false);
        var where = filter.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", filter);
        var parameters = new
        {
            query.WorkflowId,
            status = query.Status?.ToString(),
            limit = query.PageSize,
            offset = (query.Page - 1) * query.PageSize,
        };
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM workflow_runs {where};", parameters).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SummaryRow>(
            $"SELECT {SummaryRow.Columns} FROM workflow_runs {where} ORDER BY id DESC LIMIT @limit OFFSET @offset;", parameters).ConfigureAwait(false);
        return (rows.Select(r => r.ToSummary()).ToList(), total);
    }

    private async Task WriteBehindLoopAsync()
    {
        var batch = new List<RunToWrite>();
        var refusals = new RefusalTally();
        while (await _behind.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Interlocked.Read(ref _behindQueued) - Interlocked.Read(ref _behindDone) < MaxBatch)
            {
                // Let the burst gather: every commit rewrites the last page of each table and
                // index it touches, so a commit per run or two costs several times their rows.
                await Task.Delay(BehindGather).ConfigureAwait(false);
            }

            while (batch.Count < MaxBatch && _behind.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await using var writer = await OpenWriterAsync(CancellationToken.None).ConfigureAwait(false);
                var connection = writer.Connection;
                await connection.ExecuteAsync("PRAGMA synchronous=NORMAL;").ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                RunRows.Insert(connection, transaction, batch.Where(r => refusals.Keep(r.Run)).ToList());
                refusals.Write(connection, transaction);
                await transaction.CommitAsync().ConfigureAwait(false);
                refusals.Committed();
            }
#pragma warning disable CA1031 // The writer must outlive any failure: readers wait for it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // These runs changed nothing on the device; what is lost is their history only.
                LogWriteBehindFailed(_logger, ex, batch.Count);
                refusals.Failed();
            }

            CountWrittenBehind(batch.Count);
            batch.Clear();
        }
    }

    private void CountWrittenBehind(int count)
    {
        Interlocked.Add(ref _behindDone, count);
        Interlocked.Exchange(ref _behindProgress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Waits until every run queued so far to be written behind is written.</summary>
    private async Task WrittenBehindAsync(CancellationToken cancellationToken)
    {
        var queued = Interlocked.Read(ref _behindQueued);
        while (true)
        {
            var progress = Volatile.Read(ref _behindProgress).Task;
            if (Interlocked.Read(ref _behindDone) >= queued)
            {
                return;
            }

            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} ended runs to the journal; they changed nothing, so only their history is lost")]
    private static partial void LogWriteBehindFailed(ILogger logger, Exception exception, int count);

    /// <summary>
    /// Lets a boundary between activities commit without waiting for the disk, when so
    /// configured. The setting is per connection and <see cref="SupervisorDatabase.OpenAsync"/>
    /// sets FULL again on every open, so it never outlives this transaction.
    /// </summary>
    private Task<int> RelaxAsync(SqliteConnection connection) =>
        _flush == JournalFlush.RunStartAndEnd ? connection.ExecuteAsync("PRAGMA synchronous=NORMAL;") : Task.FromResult(0);

    private static Task<int> InsertStepAsync(SqliteConnection connection, IDbTransaction transaction, string runId, StepStart start) =>
        connection.ExecuteAsync(
            """
            INSERT INTO workflow_run_steps (run_id, seq, activity_id, activity_type, attempt, started_at)
            VALUES (@runId, @Sequence, @ActivityId, @ActivityType, 1, @startedAt);
            """,
            new { runId, start.Sequence, start.ActivityId, start.ActivityType, startedAt = start.StartedAt.ToUnixTimeMilliseconds() },
            transaction);

    private static Task<int> EndRunAsync(SqliteConnection connection, IDbTransaction? transaction, string runId, RunEnd end) =>
        connection.ExecuteAsync(
            "UPDATE workflow_runs SET status = @status, reason = @Reason, message = @Message, ended_at = @endedAt WHERE id = @runId;",
            new { runId, status = end.Status.ToString(), end.Reason, end.Message, endedAt = end.EndedAt.ToUnixTimeMilliseconds() },
            transaction);

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    // Row shapes as Dapper maps them from the columns' snake_case names.
    private sealed record RunRow(
        string id, string workflow_id, long version, string content_hash, string status, string origin, string input, string? reason, string? message,
        long created_at, long? ended_at, string? job_id)
    {
        public const string Columns = "id, workflow_id, version, content_hash, status, origin, input, reason, message, created_at, ended_at, job_id";

        public WorkflowRun ToRun(IReadOnlyList<WorkflowRunStep> steps) =>
            new(id, workflow_id, (int)version, content_hash, Enum.Parse<RunStatus>(status), origin, Json(input), reason, message,
                Time(created_at), ended_at is { } end ? Time(end) : null, steps);
    }

    /// <summary>A run as a listing reads it: without its input.</summary>
    private sealed record SummaryRow(string id, string workflow_id, long version, string status, string origin, string? reason, string? message, long created_at, long? ended_at)
    {
        public const string Columns = "id, workflow_id, version, status, origin, reason, message, created_at, ended_at";

        public RunSummary ToSummary() =>
            new(id, workflow_id, (int)version, Enum.Parse<RunStatus>(status), origin, reason, message,
                Time(created_at), ended_at is { } end ? Time(end) : null);
    }

    private sealed record StepRow(string run_id, long seq, string activity_id, string activity_type, long attempt, long started_at, long? ended_at, string? outcome, string? output, string? error)
    {
        public WorkflowRunStep ToStep() =>
            new((int)seq, activity_id, activity_type, (int)attempt, Time(started_at), ended_at is { } end ? Time(end) : null,
                outcome, output is null ? null : Json(output), error);
    }

    /// <summary>Writes what is still queued behind (waiting at most 10 s), then lets go of the writer queue.</summary>
    public void Dispose()
    {
        _behind.Writer.TryComplete();
        Task? writer;
        lock (_behindGate)
        {
            writer = _behindWriter;
        }

        // A writer still busy after the wait keeps the semaphore; it is only memory.
        if (writer is null || writer.Wait(DrainOnDispose))
        {
            _writers.Dispose();
        }
    }

    private async Task<JournalWriter> OpenWriterAsync(CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new JournalWriter(await database.OpenAsync(cancellationToken).ConfigureAwait(false), _writers);
        }
        catch
        {
            _writers.Release();
            throw;
        }
    }

    /// <summary>A connection held by the one journal writer; disposing it lets the next one in.</summary>
    private sealed class JournalWriter(SqliteConnection connection, SemaphoreSlim writers) : IAsyncDisposable
    {
        public SqliteConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                writers.Release();
            }
        }
    }
}
