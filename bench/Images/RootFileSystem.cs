using System.Formats.Tar;

namespace Supervisor.Bench.Images;

/// <summary>A one-file root file system with content of its own, to import as a unique image.</summary>
public static class RootFileSystem
{
    public static MemoryStream Unique()
    {
        var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bench-id") { DataStream = new MemoryStream(Guid.NewGuid().ToByteArray()) });
        }

        buffer.Position = 0;
        return buffer;
    }
}
