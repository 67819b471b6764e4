using System.ComponentModel;
using Supervisor.Activities.Engine;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Moves a service's container, unchanged and still running, from one release to the next by renaming it to the new
/// release's name (<see cref="ServiceContainerName"/>): what balena calls updating a service's metadata, for a
/// release whose service has the same image and configuration. Running it again after a crash finds the container
/// already renamed and does nothing.
/// </summary>
[Description("Moves an unchanged service's container to a new release (renames it, no restart).")]
public sealed class UpdateServiceRelease(IDockerEngine engine) : WorkflowActivity<UpdateServiceRelease.Input, UpdateServiceRelease.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrEmpty(input.Commit) || string.IsNullOrEmpty(input.ToCommit))
        {
            return Fail("Invalid", $"UpdateServiceRelease \"{context.ActivityId}\": give the release the container runs (commit) and the one it moves to (toCommit).");
        }

        var name = ServiceContainerName.Format(input.ServiceName, input.AppUuid, input.ToCommit, input.ImageId, input.ReleaseId);
        var moved = await ServiceContainers.FindAsync(engine, input with { Commit = input.ToCommit }, cancellationToken).ConfigureAwait(false);
        if (moved.Count > 0)
        {
            return Completed(new Output { ContainerId = moved[0].Id, Renamed = false });
        }

        var containers = await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            return Fail("NotFound", $"Service {input.ServiceName} of app {input.AppUuid} has no container of release {input.Commit} to move to {input.ToCommit}.");
        }

        var container = containers.MaxBy(c => c.Created)!;
        await engine.RenameContainerAsync(container.Id, name, cancellationToken).ConfigureAwait(false);
        return Completed(new Output { ContainerId = container.Id, Renamed = true });
    }

    public sealed record Input : ServiceInput
    {
        [Description("The release the container moves to.")]
        public string? ToCommit { get; init; }

        [Description("The new release's numeric image id, for balena's container name.")]
        public long? ImageId { get; init; }

        [Description("The new release's numeric id, for balena's container name.")]
        public long? ReleaseId { get; init; }
    }

    public sealed record Output
    {
        public required string ContainerId { get; init; }

        [Description("False when the container was already in the new release.")]
        public bool Renamed { get; init; }
    }
}
