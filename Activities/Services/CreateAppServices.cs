using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Services;

/// <summary>
/// Creates the containers of several services of one app, one after another in the order given (each one's
/// dependencies first), each exactly as <see cref="CreateService"/> creates it from the same input: a restart
/// of a whole app recreates every service in one step. A service whose container exists is reused, so a run
/// resumed after a crash creates nothing twice; the first service that cannot be created ends the step with
/// its failure, and those before it stay created.
/// </summary>
[Description("Creates the containers of the services given (each a create-service input), in order; reuses those that exist.")]
public sealed class CreateAppServices(IServiceProvider services) : WorkflowActivity<CreateAppServices.Input, CreateAppServices.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(Input input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var create = ActivatorUtilities.CreateInstance<CreateService>(services);
        var containers = new List<string>();
        foreach (var service in input.Services)
        {
            if (service.ValueKind != JsonValueKind.Object
                || !service.TryGetProperty("appUuid", out var appUuid) || appUuid.ValueKind != JsonValueKind.String || appUuid.GetString() != input.AppUuid)
            {
                return Fail("Invalid", $"CreateAppServices \"{context.ActivityId}\": each service must be a create-service input of app {input.AppUuid}.");
            }

            var result = await create.ExecuteAsync(service, context, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != Done)
            {
                return result;
            }

            containers.Add(result.Output!.Value.GetProperty("containerId").GetString()!);
        }

        return Completed(new Output { ContainerIds = containers });
    }

    public sealed record Input
    {
        [Description("The app's uuid.")]
        public required string AppUuid { get; init; }

        [Description("One create-service input for each service to create, dependencies first.")]
        public IReadOnlyList<JsonElement> Services { get; init; } = [];
    }

    public sealed record Output
    {
        [Description("The services' containers, in the order given.")]
        public IReadOnlyList<string> ContainerIds { get; init; } = [];
    }
}
