using System.Globalization;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Activities.Services.Config;

namespace Supervisor.Activities.Networks;

/// <summary>
/// How an app's networks are named and labelled on the engine, as balena does it: <c>&lt;appUuid&gt;_&lt;name&gt;</c>,
/// with <c>io.balena.supervised</c> and <c>io.balena.app-id</c>, plus the supervisor's own labels by which it finds
/// them (and only its own instance's).
/// </summary>
public static class AppNetworks
{
    /// <summary>The network every app gets, where its services reach each other by service name.</summary>
    public const string DefaultName = "default";

    public static string EngineName(string appUuid, string name) => $"{appUuid}_{name}";

    /// <summary>
    /// A short digest of what the release declares for the network, which the network carries as
    /// <see cref="ServiceLabels.Config"/>; a network that declares nothing has none, so the default networks made before
    /// networks could be declared count as unchanged.
    /// </summary>
    public static string? Fingerprint(NetworkConfig? config) => DeclaredConfigJson.DigestOf(config);

    /// <summary>The release's labels for the network, then balena's and the supervisor's, which no release can override.</summary>
    public static Dictionary<string, string> Labels(AppNetworkInput input, string instance)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labels = ServiceLabels.OfResource(input.Config?.Labels, instance, input.AppUuid, Fingerprint(input.Config));
        if (input.AppId is { } appId)
        {
            labels[ServiceLabels.BalenaAppId] = appId.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }

    /// <summary>The supervisor's networks of this instance (of one app when given).</summary>
    public static Task<IReadOnlyList<EngineNetwork>> ListAsync(IDockerEngine engine, string instance, string? appUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var labels = ServiceLabels.SupervisedBy(instance);
        if (appUuid is not null)
        {
            labels[ServiceLabels.AppUuid] = appUuid;
        }

        return engine.ListNetworksAsync(labels, cancellationToken);
    }
}
