using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;
using Supervisor.Workflows.Storage;

namespace Supervisor.Host.Storage;

/// <summary>
/// Tells which of the supervisor's databases an exception is about and what is wrong with it,
/// and remembers the last lasting failure for health. Microsoft.Data.Sqlite only ever opens
/// <c>supervisor.db</c> and sqlite-net only Hangfire's file, so the library names the file.
/// </summary>
public sealed class DatabaseFailures(SupervisorDatabase database, IOptions<SupervisorOptions> options, TimeProvider time)
{
    private Observed? _last;

    /// <summary>Hangfire's own SQLite file in the data directory.</summary>
    public static string HangfirePath(string dataDir) => Path.GetFullPath(Path.Combine(dataDir, "hangfire.db"));

    /// <summary>The last failure that does not pass on its own (not busy or locked), and when it was seen.</summary>
    public (DatabaseProblem Problem, DateTimeOffset At)? Last => Volatile.Read(ref _last) is { } last ? (last.Problem, last.At) : null;

    /// <summary>The database problem behind <paramref name="exception"/> (or one it wraps), or null when it is not one.</summary>
    public DatabaseProblem? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var problem = e switch
            {
                DatabaseUnusableException unusable => unusable.Problem,
                SqliteException sqlite => DatabaseProblem.From(database.Path, sqlite.SqliteErrorCode, sqlite.Message),
                SQLite.SQLiteException hangfire => DatabaseProblem.From(HangfirePath(options.Value.DataDir), (int)hangfire.Result, hangfire.Message),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>What to tell an operator about <paramref name="exception"/>: the message of the <see cref="DatabaseUnusableException"/> it is or wraps, else its problem's; null when it is not about a database.</summary>
    public string? Explain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseUnusableException unusable)
            {
                return unusable.Message;
            }
        }

        return Describe(exception)?.Message;
    }

    /// <summary><see cref="Describe"/>, remembering a lasting problem for health.</summary>
    public DatabaseProblem? Observe(Exception exception)
    {
        var problem = Describe(exception);
        if (problem is { IsLasting: true })
        {
            Volatile.Write(ref _last, new Observed(problem, time.GetUtcNow()));
        }

        return problem;
    }

    private sealed record Observed(DatabaseProblem Problem, DateTimeOffset At);
}
