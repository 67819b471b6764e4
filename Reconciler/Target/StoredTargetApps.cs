using Supervisor.Activities.Services;

namespace Supervisor.Reconciler.Target;

/// <summary>The apps of the stored target, for the activities that must know which apps are the target's.</summary>
public sealed class StoredTargetApps(TargetStateStore store) : ITargetedApps
{
    public async Task<IReadOnlyList<TargetedApp>> ListAsync(CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        return stored is null ? [] : [.. stored.State.Apps.Values.Select(app => new TargetedApp(app.Uuid, app.LegacyId))];
    }

    public async Task<TargetedDevice?> DeviceAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(cancellationToken).ConfigureAwait(false))?.State is { } state ? new TargetedDevice(state.DeviceUuid, state.Name) : null;
}
