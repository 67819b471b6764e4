namespace Supervisor.Reconciler.Apply;

/// <summary>The outcome of <see cref="ReconcileDecider"/>: what to do, and the loop's state after it.</summary>
/// <param name="Action">What the loop does now.</param>
/// <param name="Attempts">
/// Applies and failed passes since the device was last seen at its target, counting this one: the loop keeps it
/// for its next decision, and the backoff grows with it.
/// </param>
/// <param name="Due">When the next pass is due if nothing asks for one sooner.</param>
public sealed record PassDecision(PassAction Action, int Attempts, DateTimeOffset Due)
{
    /// <summary>
    /// The failures in a row the status shows after this decision, or null to leave it as it is. An apply shows
    /// the failures that came before it, not itself.
    /// </summary>
    public int? ConsecutiveFailures => Action switch
    {
        PassAction.AtTarget => 0,
        PassAction.Apply => Attempts - 1,
        PassAction.Blocked or PassAction.Retry => Attempts,
        _ => null,
    };
}
