using System.ComponentModel;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Locks;
using Supervisor.Activities.Paths;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Creates the container of one service of one release, not started: labelled as the
/// supervisor's, with an init process, the service's update-lock folder mounted at
/// <c>/tmp/balena</c> and <c>/tmp/resin</c>, and the environment and labels of the target. A
/// container that already exists for that service and release is reused, so running this again
/// after a crash creates nothing twice.
/// </summary>
[Description("Creates a service's container (not started); reuses the one that exists for the same release.")]
public sealed class CreateService(IDockerEngine engine, IOptions<ServiceOptions> options) : WorkflowActivity<CreateService.Input, CreateService.Output>
{
    /// <summary>Where, inside the container, the service takes its update lock: the lock file's name comes from <see cref="UpdateLockFiles"/>, so it is the one the supervisor checks.</summary>
    private const string LockPathInContainer = AppLockFolders.MountPoint + "/" + UpdateLockFiles.FileName;

    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrEmpty(input.Commit))
        {
            return Fail("Invalid", $"CreateService \"{context.ActivityId}\": a container is created for one release: give its commit.");
        }

        if (!ImageReference.TryParse(input.Image, out var image))
        {
            return Fail("Invalid", $"CreateService \"{context.ActivityId}\": \"{input.Image}\" is not an image reference.");
        }

        var existing = await ServiceContainers.FindAsync(engine, input, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return Completed(new Output { ContainerId = existing[0].Id, Created = false });
        }

        var lockFolder = PathGuard.Combine(options.Value.LockRoot, input.AppId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? input.AppUuid, input.ServiceName);
        Directory.CreateDirectory(lockFolder);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BALENA_APP_LOCK_PATH"] = LockPathInContainer,
            ["RESIN_APP_LOCK_PATH"] = LockPathInContainer,
            ["BALENA_SERVICE_NAME"] = input.ServiceName,
            ["BALENA_APP_UUID"] = input.AppUuid,
        };
        foreach (var (key, value) in input.Environment)
        {
            environment[key] = value;
        }

        var labels = new Dictionary<string, string>(input.Labels, StringComparer.Ordinal)
        {
            [ServiceLabels.Supervised] = "true",
            [ServiceLabels.Instance] = options.Value.Instance,
            [ServiceLabels.AppUuid] = input.AppUuid,
            [ServiceLabels.ServiceName] = input.ServiceName,
            [ServiceLabels.Commit] = input.Commit,
        };

        var spec = new ContainerSpec
        {
            Name = ContainerName(input),
            Image = image.TagName ?? image.PullName,
            Command = input.Command,
            Entrypoint = input.Entrypoint,
            Environment = environment,
            Labels = labels,
            NetworkMode = input.NetworkMode,
            RestartPolicy = input.Restart,
            Binds = [$"{lockFolder}:{AppLockFolders.MountPoint}", $"{lockFolder}:{AppLockFolders.LegacyMountPoint}", .. input.Volumes],
        };

        try
        {
            var id = await engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
            return Completed(new Output { ContainerId = id, Created = true });
        }
        catch (EngineNotFoundException)
        {
            return Fail("NotFound", $"Cannot create {input.ServiceName}: the engine has no image {spec.Image}. Fetch it first.");
        }
        catch (EngineConflictException ex)
        {
            return Fail("Conflict", $"Cannot create {input.ServiceName}: {ex.Message}");
        }
    }

    /// <summary>Readable, and unique per app, service and release.</summary>
    internal static string ContainerName(Input input) =>
        $"{input.ServiceName}_{Short(input.AppUuid)}_{Short(input.Commit!)}";

    private static string Short(string value) => value.Length <= 12 ? value : value[..12];

    public sealed record Input : ServiceInput
    {
        [Description("The image as the target names it; the container uses its tag (or its digest when it has none).")]
        public required string Image { get; init; }

        [Description("Legacy numeric app id: names the update-lock folder, as balena does; the app uuid when absent.")]
        public long? AppId { get; init; }

        public IReadOnlyList<string> Command { get; init; } = [];

        public IReadOnlyList<string> Entrypoint { get; init; } = [];

        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

        [Description("Bind mounts and named volumes, source:target[:ro].")]
        public IReadOnlyList<string> Volumes { get; init; } = [];

        [Description("no, always, unless-stopped or on-failure.")]
        public string Restart { get; init; } = "always";

        [Description("Docker network mode; empty for the engine's default.")]
        public string? NetworkMode { get; init; }
    }

    public sealed record Output
    {
        public required string ContainerId { get; init; }

        [Description("False when the container for this release already existed.")]
        public bool Created { get; init; }
    }
}
