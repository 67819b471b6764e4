using System.ComponentModel;
using Microsoft.Extensions.Options;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Locks;

/// <summary>
/// Takes an app's update locks for the services an action touches. It first waits (at most
/// <c>AppLockWait</c>) for any other supervisor operation on the app, then checks each service's
/// lock files: a user's lock ends the activity <c>Locked</c>, naming the app and service, unless
/// <c>force</c> (or <c>Supervisor:OverrideLocks</c>) removes it, and only for the services named.
/// After a crash the startup recovery removes the lock files, so a resumed run takes them again
/// before it goes on (<see cref="RerunOnResumeAttribute"/>). A refusal by a user's lock changes
/// nothing, so the run need not be on disk for it: the activity writes the run ahead itself, just
/// before it waits for the app or touches a lock file.
/// </summary>
[ActivityOutcomes(Acquired, Locked)]
[RerunOnResume]
[WithoutWriteAhead]
[Description("Takes the app's update locks for the services named; ends Locked when a user holds one (unless forced).")]
public sealed class AcquireUpdateLocks(AppLocks appLocks, UpdateLockFiles files, IOptions<UpdateLockOptions> options)
    : WorkflowActivity<AcquireUpdateLocks.Input, AcquireUpdateLocks.Output>
{
    public const string Acquired = "Acquired";
    public const string Locked = "Locked";

    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var force = input.Force || settings.OverrideLocks;
        var services = input.AllServices;

        // A user's lock is answered at once, without queueing behind other operations on the app:
        // fifty callers refused by one lock must not wait for each other. The check is repeated
        // under the app lock below, so a lock that appears in between still stops the action.
        if (!force && await FirstUserLockAsync(input, services, cancellationToken).ConfigureAwait(false) is { } held)
        {
            return held;
        }

        await context.WriteAheadAsync(cancellationToken).ConfigureAwait(false);

        if (!await appLocks.TryAcquireAsync(input.AppKey, context.RunId, settings.AppLockWait, cancellationToken).ConfigureAwait(false))
        {
            return Outcome(Locked, new Output { Message = $"Locks for app {input.AppUuid} are held by another supervisor operation." });
        }

        foreach (var service in services)
        {
            var userLocks = await files.UserLocksAsync(input.AppKey, service, cancellationToken).ConfigureAwait(false);
            if (userLocks.Count > 0 && !force)
            {
                appLocks.Release(input.AppKey, context.RunId);
                return UserLocked(input, service, userLocks);
            }

            foreach (var path in userLocks)
            {
                File.Delete(path);
            }

            if (!await files.CreateAsync(input.AppKey, service, context.RunId, cancellationToken).ConfigureAwait(false))
            {
                await files.ReleaseAsync(input.AppKey, context.RunId, cancellationToken).ConfigureAwait(false);
                appLocks.Release(input.AppKey, context.RunId);
                return Outcome(Locked, new Output { Message = $"Updates are locked for app {input.AppUuid}, service {service}: a lock appeared while the supervisor took its own." });
            }
        }

        return Outcome(Acquired, new Output { Message = $"Took the update locks of app {input.AppUuid} for {string.Join(", ", services)}." });
    }

    private async Task<ActivityResult?> FirstUserLockAsync(Input input, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            if (await files.FirstUserLockAsync(input.AppKey, service, cancellationToken).ConfigureAwait(false) is { } held)
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
        [Description("The services the action touches; only their locks are taken (and, with force, removed).")]
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
