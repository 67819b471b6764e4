namespace Supervisor.Activities.Features;

/// <summary>The port the supervisor's API listens on: what services with the supervisor API, and the cloud report, are given.</summary>
public interface ISupervisorApiPort
{
    /// <summary>balena's device API port, for when the server's own address does not say.</summary>
    public const int Default = 48484;

    int Current { get; }
}
