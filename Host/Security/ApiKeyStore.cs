using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Supervisor.Host.Configuration;

namespace Supervisor.Host.Security;

/// <summary>
/// The device API key: the configured one, or one generated at first start and kept in the data
/// directory (readable by root only), so that it survives restarts. A generated key can be replaced
/// (<c>POST /v1/regenerate-api-key</c>); the old one stops working at once.
/// </summary>
public sealed partial class ApiKeyStore
{
    private readonly string _dataDir;
    private readonly ILogger<ApiKeyStore> _logger;
    private volatile byte[] _key;

    public ApiKeyStore(IOptions<SupervisorOptions> options, ILogger<ApiKeyStore> logger)
    {
        var settings = options.Value;
        _dataDir = settings.DataDir;
        _logger = logger;
        IsConfigured = !string.IsNullOrWhiteSpace(settings.ApiKey);
        _key = Encoding.UTF8.GetBytes(IsConfigured ? settings.ApiKey!.Trim() : LoadOrGenerate());
    }

    /// <summary>The key comes from <c>Supervisor:ApiKey</c>, and only a change there replaces it.</summary>
    public bool IsConfigured { get; }

    public string Key => Encoding.UTF8.GetString(_key);

    /// <summary>Compares in constant time, so that the answer's timing tells nothing about the key.</summary>
    public bool IsValid(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);

    /// <summary>Makes and keeps a new generated key, which replaces the old one at once; a configured key cannot be replaced here.</summary>
    public string Regenerate()
    {
        if (IsConfigured)
        {
            throw new InvalidOperationException("The device API key is set by Supervisor:ApiKey: change it there and restart the supervisor.");
        }

        var key = NewKey();
        Write(key);
        _key = Encoding.UTF8.GetBytes(key);
        LogRegenerated(_logger, KeyPath);
        return key;
    }

    private string KeyPath => Path.Combine(_dataDir, "api-key");

    private string LoadOrGenerate()
    {
        if (File.Exists(KeyPath))
        {
            var stored = File.ReadAllText(KeyPath).Trim();
            if (stored.Length > 0)
            {
                return stored;
            }
        }

        var key = NewKey();
        Write(key);
        LogGenerated(_logger, KeyPath, key);
        return key;
    }

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Written beside the file and moved over it, readable by root only, so that a power cut leaves the old key or the new one.</summary>
    private void Write(string key)
    {
        Directory.CreateDirectory(_dataDir);
        var temporary = KeyPath + ".tmp";
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

        File.Move(temporary, KeyPath, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated the device API key and stored it in {Path} (root only): {Key}")]
    private static partial void LogGenerated(ILogger logger, string path, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The device API key was regenerated through the API and stored in {Path}; the old key no longer works.")]
    private static partial void LogRegenerated(ILogger logger, string path);
}
