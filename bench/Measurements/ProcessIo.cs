namespace Supervisor.Bench.Measurements;

/// <summary>
/// This process's storage I/O from <c>/proc/self/io</c>: <c>write_bytes</c> is what it caused
/// to be sent to the block device, the figure that wears a device's flash.
/// </summary>
public sealed record ProcessIo(long WriteBytes, long WriteCalls)
{
    public static ProcessIo Read()
    {
        var fields = File.ReadAllLines("/proc/self/io")
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => long.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new(fields["write_bytes"], fields["syscw"]);
    }
}
