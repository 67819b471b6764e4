using System.Diagnostics;

namespace Supervisor.Tests.Fixtures;

/// <summary>
/// A real, small file system (tmpfs) of its own, so that a test can fill it and meet the
/// kernel's own "no space left on device" where the supervisor writes. Needs root (the tests
/// run as root in CI and in the development container); unmounted and removed on dispose.
/// </summary>
public sealed class SmallFileSystem : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;

    private SmallFileSystem(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Bytes still free for an unprivileged write.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    private string Filler => System.IO.Path.Combine(Path, ".filler");

    public static async Task<SmallFileSystem> MountAsync(long sizeBytes)
    {
        var path = Directory.CreateTempSubdirectory("supervisor-small-fs-").FullName;
        try
        {
            await RunAsync("mount", "-t", "tmpfs", "-o", $"size={sizeBytes}", "tmpfs", path);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }

        return new SmallFileSystem(path);
    }

    /// <summary>Writes a filler file until at most <paramref name="leaveFreeBytes"/> are free (tmpfs counts written pages, not a file's length, so the bytes are written).</summary>
    public async Task FillAsync(long leaveFreeBytes)
    {
        var buffer = new byte[Chunk];
        await using var filler = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            for (var left = FreeBytes - leaveFreeBytes; left > 0; left = FreeBytes - leaveFreeBytes)
            {
                await filler.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, Chunk)));
            }
        }
        catch (IOException)
        {
            // Full already: someone else wrote meanwhile.
        }
    }

    /// <summary>Gives back what <see cref="FillAsync"/> took.</summary>
    public void Free() => File.Delete(Filler);

    public async ValueTask DisposeAsync()
    {
        // Lazy: a host that has not let go of its files yet must not keep the mount behind.
        await RunAsync("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Trim()} (the storage tests mount a tmpfs and need root)");
        }
    }
}
