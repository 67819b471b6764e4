using System.Security.Cryptography;
using Dapper;
using Supervisor.Workflows.Storage;

namespace Supervisor.Activities.Features;

/// <summary>
/// The API keys of services that asked for the supervisor API, in the supervisor database. Every request with a key
/// looks it up, so the keys are read once and then answered from memory; this process is their only writer.
/// </summary>
public sealed class ServiceApiKeyStore(SupervisorDatabase database, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, (string Key, ServiceApiKey Owner)>? _byService;
    private Dictionary<string, ServiceApiKey>? _byKey;

    /// <summary>The service's key, made and kept on first use: the same key every time after.</summary>
    public async Task<string> GetOrCreateAsync(string appUuid, long? appId, string serviceName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appUuid);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (_byService!.TryGetValue(ServiceKey(appUuid, serviceName), out var known))
            {
                return known.Key;
            }

            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                await connection.ExecuteAsync(
                    "INSERT INTO service_api_keys (app_uuid, service_name, app_id, key, created_at) VALUES (@appUuid, @serviceName, @appId, @key, @now);",
                    new { appUuid, serviceName, appId, key, now = time.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
            }

            var owner = new ServiceApiKey(appUuid, appId, serviceName);
            _byService[ServiceKey(appUuid, serviceName)] = (key, owner);
            _byKey![key] = owner;
            return key;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replaces a service's key with a new one, which works at once while <paramref name="oldKey"/> stops; null when
    /// no service was given <paramref name="oldKey"/>. The container keeps the old key in its environment until it
    /// is created again (as on balena).
    /// </summary>
    public async Task<string?> RegenerateAsync(string oldKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldKey);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!_byKey!.TryGetValue(oldKey, out var owner))
            {
                return null;
            }

            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                await connection.ExecuteAsync(
                    "UPDATE service_api_keys SET key = @key, created_at = @now WHERE key = @oldKey;",
                    new { key, oldKey, now = time.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
            }

            _byKey.Remove(oldKey);
            _byKey[key] = owner;
            _byService![ServiceKey(owner.AppUuid, owner.ServiceName)] = (key, owner);
            return key;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whose key <paramref name="candidate"/> is; null for a key no service was given.</summary>
    public async Task<ServiceApiKey?> FindAsync(string candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            return _byKey!.GetValueOrDefault(candidate);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_byKey is not null)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string AppUuid, string ServiceName, long? AppId, string Key)>(
            "SELECT app_uuid, service_name, app_id, key FROM service_api_keys;").ConfigureAwait(false);
        _byService = rows.ToDictionary(r => ServiceKey(r.AppUuid, r.ServiceName), r => (r.Key, new ServiceApiKey(r.AppUuid, r.AppId, r.ServiceName)));
        _byKey = _byService.Values.ToDictionary(v => v.Key, v => v.Owner, StringComparer.Ordinal);
    }

    public void Dispose() => _gate.Dispose();

    private static string ServiceKey(string appUuid, string serviceName) => appUuid + "/" + serviceName;
}
