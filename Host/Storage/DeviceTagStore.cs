using Dapper;
using Supervisor.Workflows.Storage;

namespace Supervisor.Host.Storage;

/// <summary>The device's tags in the supervisor database: a tag set again takes its new value, and none is removed (balena's PATCH).</summary>
public sealed class DeviceTagStore(SupervisorDatabase database)
{
    public async Task<IReadOnlyList<DeviceTag>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<DeviceTag>("SELECT id AS Id, name AS Name, value AS Value FROM device_tags ORDER BY id;").ConfigureAwait(false)];
    }

    /// <summary>Sets every tag given, in one transaction: all of them are set, or none.</summary>
    public async Task SetAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in tags)
        {
            await connection.ExecuteAsync(
                "INSERT INTO device_tags (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value;",
                new { name, value },
                transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
