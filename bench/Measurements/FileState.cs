namespace Supervisor.Bench.Measurements;

/// <summary>A file's size and last write time, to tell whether something wrote to it.</summary>
public sealed record FileState(string Name, long Length, DateTime LastWriteUtc)
{
    public static IReadOnlyDictionary<string, FileState> Of(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles()
            .Select(f => new FileState(f.Name, f.Length, f.LastWriteTimeUtc))
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
}
