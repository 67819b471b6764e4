using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;

namespace Supervisor.Host.Security;

/// <summary>
/// The device API key: the configured one, or one generated at first start and kept in the data
/// directory (readable by root only), so that it survives restarts.
/// </summary>
public sealed partial class ApiKeyStore
{
    private readonly byte[] _key;

    public ApiKeyStore(IOptions<SupervisorOptions> options, ILogger<ApiKeyStore> logger)
    {
        var settings = options.Value;
        Key = string.IsNullOrWhiteSpace(settings.ApiKey) ? LoadOrGenerate(settings.DataDir, logger) : settings.ApiKey.Trim();
        _key = Encoding.UTF8.GetBytes(Key);
    }

    public string Key { get; }

    /// <summary>Compares in constant time, so that the answer's timing tells nothing about the key.</summary>
    public bool IsValid(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);

    private static string LoadOrGenerate(string dataDir, ILogger logger)
    {
        var path = Path.Combine(dataDir, "api-key");
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0)
            {
                return stored;
            }
        }

        Directory.CreateDirectory(dataDir);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            file.Write(Encoding.UTF8.GetBytes(key));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        LogGenerated(logger, path, key);
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated the device API key and stored it in {Path} (root only): {Key}")]
    private static partial void LogGenerated(ILogger logger, string path, string key);
}
