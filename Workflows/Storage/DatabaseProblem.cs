using System.Globalization;
using System.Text.RegularExpressions;

namespace Supervisor.Workflows.Storage;

/// <summary>
/// Why one of the supervisor's SQLite files cannot be used, in an operator's words: which file,
/// what is wrong and what to do. Built from SQLite's result code alone, so that both SQLite
/// libraries in the program (Microsoft.Data.Sqlite under <c>supervisor.db</c>, sqlite-net under
/// Hangfire's file) are explained alike, at start-up, in the API's 503 answers and in health.
/// </summary>
public sealed partial record DatabaseProblem
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes carry one of them in their low byte.
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int IoError = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int CantOpen = 14;
    public const int NotADatabase = 26;

    private DatabaseProblem(string path, int errorCode, string detail)
    {
        Path = path;
        ErrorCode = errorCode;
        Detail = detail;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>SQLite's primary result code.</summary>
    public int ErrorCode { get; }

    /// <summary>SQLite's own words, or what an integrity check found.</summary>
    public string Detail { get; }

    /// <summary>
    /// False for a busy or locked file: that passes on its own. Every other problem lasts until
    /// someone (or a restart's integrity check) acts, so health reports it.
    /// </summary>
    public bool IsLasting => ErrorCode is not (Busy or Locked);

    /// <summary>The file's content is damaged, as opposed to the storage refusing to read or write it.</summary>
    public bool IsDamage => ErrorCode is Corrupt or NotADatabase;

    public string Message => ErrorCode switch
    {
        Full => $"The database {Path} cannot be written: the disk is full ({Detail}). " +
            $"Free space on the file system that holds {Folder} (unused images: docker image prune; old logs); what this request was to write was not saved.",
        ReadOnly => $"The database {Path} cannot be written: it is read-only ({Detail}). " +
            "Check that its file system is mounted read-write (a kernel remounts it read-only after I/O errors: see dmesg) and that the supervisor may write the file and its folder.",
        IoError => $"The database {Path} could not be read or written: the storage reported an I/O error ({Detail}). " +
            "Check the storage device (dmesg) and its free space, then restart the supervisor: at start-up it checks the file (docs/operations.md).",
        Corrupt => $"The database {Path} is damaged ({Detail}). " +
            "Restart the supervisor: its start-up check finds the damage and moves the file aside or says what to do (docs/operations.md).",
        NotADatabase => $"The file {Path} is not a SQLite database: its header is damaged or incomplete ({Detail}). " +
            $"Move it aside (mv {Path} {Path}.damaged) and start the supervisor again: it creates a new, empty one (docs/operations.md says what is lost with it).",
        CantOpen => $"The database {Path} cannot be opened ({Detail}). Check that {Folder} exists and that the supervisor may write it (Supervisor:DataDir).",
        _ => $"The database {Path} is busy: another connection or program holds a lock on it ({Detail}). Try again; if it lasts, look for another program that has the file open (fuser {Path}).",
    };

    private string Folder => System.IO.Path.GetDirectoryName(Path) ?? Path;

    /// <summary>The problem SQLite's <paramref name="errorCode"/> stands for, or null when it is not about the file (a constraint, a syntax error: a bug, not the database).</summary>
    public static DatabaseProblem? From(string path, int errorCode, string detail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var primary = errorCode & 0xFF;
        return primary is Busy or Locked or ReadOnly or IoError or Corrupt or Full or CantOpen or NotADatabase
            ? new DatabaseProblem(path, primary, Trimmed(detail))
            : null;
    }

    /// <summary>What an integrity check (<c>PRAGMA quick_check</c>) found in a file SQLite could open.</summary>
    public static DatabaseProblem Damaged(string path, string findings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new DatabaseProblem(path, Corrupt, Trimmed(findings));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Message} [SQLite {ErrorCode}]");

    // Microsoft.Data.Sqlite words its messages "SQLite Error 13: 'database or disk is full'."; the code is said by Message.
    private static string Trimmed(string detail) =>
        SqliteWording().Match(detail.Trim()) is { Success: true } match ? match.Groups["text"].Value : detail.Trim().TrimEnd('.');

    [GeneratedRegex(@"^SQLite Error \d+: '(?<text>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex SqliteWording();
}
