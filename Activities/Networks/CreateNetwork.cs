using System.ComponentModel;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Networks;

/// <summary>
/// Creates an app's bridge network, named and labelled as balena does (<see cref="AppNetworks"/>). A network of that
/// name the supervisor created already is kept, so running this again after a crash creates nothing twice; one of
/// that name that is not the supervisor's is a conflict, never taken over.
/// </summary>
[Description("Creates an app's network (<appUuid>_<name>); keeps the one that exists.")]
public sealed class CreateNetwork(IDockerEngine engine, IOptions<ServiceOptions> options) : WorkflowActivity<AppNetworkInput, CreateNetwork.Output>
{
    protected override async Task<ActivityResult> ExecuteAsync(AppNetworkInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = AppNetworks.EngineName(input.AppUuid, input.Name);
        var existing = await engine.ListNetworksAsync(new Dictionary<string, string?>(), cancellationToken).ConfigureAwait(false);
        if (existing.FirstOrDefault(n => n.Name == name) is { } found)
        {
            return found.Labels.GetValueOrDefault(ServiceLabels.Instance) == options.Value.Instance
                ? Completed(new Output { Name = name, Created = false })
                : Fail("Conflict", $"Cannot create network {name}: the engine has a network of that name the supervisor did not create. Remove or rename it.");
        }

        try
        {
            await engine.CreateNetworkAsync(new NetworkSpec { Name = name, Labels = AppNetworks.Labels(input, options.Value.Instance), Config = input.Config ?? new NetworkConfig() }, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineErrorException ex) when ((int)ex.StatusCode is >= 400 and < 500)
        {
            // The engine refuses what the release declared (a malformed subnet, a range another network holds):
            // trying again cannot help, the release must change.
            return Fail("Invalid", $"Cannot create network {name} as the release declares it: {ex.Message}");
        }

        return Completed(new Output { Name = name, Created = true });
    }

    public sealed record Output
    {
        public required string Name { get; init; }

        [Description("False when the network existed already.")]
        public bool Created { get; init; }
    }
}
