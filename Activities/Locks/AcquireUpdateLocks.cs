using System.ComponentModel;
using Microsoft.Extensions.Options;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Locks;

/// <summary>
/// Takes an app's update locks for the services an action touches. It first waits (at most
/// <c>AppLockWait</c>) for any other supervisor operation on the app, failing the run <c>Busy</c>
/// when it is still held, then checks each service's lock files in every folder that is the app's
/// (<see cref="AppLockFolders"/>: whether the caller named the app by uuid or by numeric id, the
/// lock is the same): a user's lock in any service of the app ends the activity <c>Locked</c>, naming
/// the app and service (balena's app-wide lock), unless <c>force</c> (or <c>Supervisor:OverrideLocks</c>),
/// which removes the users' locks of the services named only (none named: every service of the app) and
/// leaves the others' in place. A numeric id that names another app than the
/// uuid fails the run <c>Invalid</c>.
/// After a crash the startup recovery removes the lock files, so a resumed run takes them again
/// before it goes on (<see cref="RerunOnResumeAttribute"/>). A refusal by a user's lock changes
/// nothing, so the run need not be on disk for it: the activity writes the run ahead itself, just
/// before it waits for the app or touches a lock file.
/// </summary>
[ActivityOutcomes(Acquired, Locked)]
[RerunOnResume]
[WithoutWriteAhead]
[Description("Takes the app's update locks for the services named; ends Locked when a user holds one in any service of the app (unless forced).")]
public sealed class AcquireUpdateLocks(AppLocks appLocks, AppLockFolders folders, UpdateLockFiles files, IOptions<UpdateLockOptions> options)
    : WorkflowActivity<AcquireUpdateLocks.Input, AcquireUpdateLocks.Output>
{
    public const string Acquired = "Acquired";
    public const string Locked = "Locked";

    /// <summary>The failure reason when another supervisor operation still holds the app after <c>AppLockWait</c>.</summary>
    public const string Busy = "Busy";

    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var force = input.Force || settings.OverrideLocks;
        var (keys, invalid) = await folders.ResolveAsync(input.AppUuid, input.AppId, cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            return Fail("Invalid", $"AcquireUpdateLocks \"{context.ActivityId}\": {invalid}");
        }

        // No services named is the whole app, as balena's app-wide lock: a definition that leaves
        // them out must not take no lock at all and then act on every service.
        var services = input.AllServices.Count > 0 ? input.AllServices : files.ServiceNames(keys.All);

        // A user's lock in any service of the app holds the whole app (balena: "a lock in one service will prevent
        // all services from updating"); force overrides only the locks of the services the action touches.
        IReadOnlyList<string> guarded = force ? services : [.. services.Union(files.ServiceNames(keys.All), StringComparer.Ordinal)];

        // A user's lock is answered at once, without queueing behind other operations on the app:
        // fifty callers refused by one lock must not wait for each other. The check is repeated
        // under the app lock below, so a lock that appears in between still stops the action.
        if (!force && await FirstUserLockAsync(input, keys, guarded, cancellationToken).ConfigureAwait(false) is { } held)
        {
            return held;
        }

        await context.WriteAheadAsync(cancellationToken).ConfigureAwait(false);

        if (!await appLocks.TryAcquireAsync(input.AppUuid, context.RunId, settings.AppLockWait, cancellationToken).ConfigureAwait(false))
        {
            // Busy is not a user's lock: it fails the run with its own reason (503, not 423), and
            // needs no branch in the definitions.
            return Fail(Busy, $"App {input.AppUuid} is busy with another supervisor operation (waited {settings.AppLockWait.TotalSeconds:0.#} s for it); retry the request.");
        }

        if (!force && await FirstUserLockAsync(input, keys, [.. guarded.Except(services, StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false) is { } sibling)
        {
            appLocks.Release(input.AppUuid, context.RunId);
            return sibling;
        }

        foreach (var service in services)
        {
            var userLocks = await files.UserLocksAsync(keys.All, service, cancellationToken).ConfigureAwait(false);
            if (userLocks.Count > 0 && !force)
            {
                appLocks.Release(input.AppUuid, context.RunId);
                return UserLocked(input, service, userLocks);
            }

            foreach (var path in userLocks)
            {
                File.Delete(path);
            }

            if (!await files.CreateAsync(input.AppUuid, keys.Primary, service, context.RunId, cancellationToken).ConfigureAwait(false))
            {
                await files.ReleaseAsync(input.AppUuid, context.RunId, cancellationToken).ConfigureAwait(false);
                appLocks.Release(input.AppUuid, context.RunId);
                return Outcome(Locked, new Output { Message = $"Updates are locked for app {input.AppUuid}, service {service}: a lock appeared while the supervisor took its own." });
            }
        }

        return Outcome(Acquired, new Output
        {
            Message = services.Count == 0
                ? $"App {input.AppUuid} has no service lock folders: there was no lock to take."
                : $"Took the update locks of app {input.AppUuid} for {string.Join(", ", services)}.",
        });
    }

    private async Task<ActivityResult?> FirstUserLockAsync(Input input, AppLockKeys keys, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            if (await files.FirstUserLockAsync(keys.All, service, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return UserLocked(input, service, [held]);
            }
        }

        return null;
    }

    private static ActivityResult UserLocked(Input input, string service, IReadOnlyList<string> userLocks) =>
        Outcome(Locked, new Output { Message = $"Updates are locked for app {input.AppUuid}, service {service}: {string.Join(", ", userLocks.Select(Path.GetFileName))} exists." });

    public sealed record Input : AppLockInput
    {
        [Description("The services the action touches; only their locks are taken (and, with force, removed). None named (and no serviceName): every service of the app that has a lock folder.")]
        public IReadOnlyList<string> Services { get; init; } = [];

        // A definition cannot put a reference inside an array literal, so a one-service action names it here.
        [Description("One more service the action touches, for definitions that act on a single service.")]
        public string? ServiceName { get; init; }

        [Description("Remove users' locks of these services instead of stopping.")]
        public bool Force { get; init; }

        internal IReadOnlyList<string> AllServices =>
            string.IsNullOrEmpty(ServiceName) || Services.Contains(ServiceName, StringComparer.Ordinal) ? Services : [.. Services, ServiceName];
    }

    public sealed record Output
    {
        public required string Message { get; init; }
    }
}
