namespace Supervisor.Bench;

/// <summary>
/// A scratch folder for one benchmark's databases and definitions, removed afterwards. It is
/// under the system temp folder, which on the measuring machine is the same disk as everything
/// else: journal commits pay for a real fsync, as they would on a device.
/// </summary>
public sealed class BenchDirectory : IDisposable
{
    /// <param name="root">Where to create it; the system temp folder by default.</param>
    public BenchDirectory(string purpose, string? root = null)
    {
        Path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), $"supervisor-bench-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(Workflows);
        Directory.CreateDirectory(Data);
    }

    public string Path { get; }

    public string Workflows => System.IO.Path.Combine(Path, "workflows");

    public string Data => System.IO.Path.Combine(Path, "data");

    public void WriteDefinition(string id, string json) => File.WriteAllText(System.IO.Path.Combine(Workflows, id + ".json"), json);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A host still closing its database; the temp folder is cleaned eventually anyway.
        }
    }
}
