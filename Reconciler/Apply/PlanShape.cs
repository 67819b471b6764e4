namespace Supervisor.Reconciler.Apply;

/// <summary>What a reconcile pass found, as far as <see cref="ReconcileDecider"/> needs to know it.</summary>
public enum PlanShape
{
    /// <summary>No target has been accepted yet: there is nothing to compare the device with.</summary>
    NoTarget,

    /// <summary>The engine could not be read, so no plan was made.</summary>
    EngineUnreadable,

    /// <summary>The plan has no step and blocks no app: the device runs its target.</summary>
    Nothing,

    /// <summary>The plan has no step, but some apps were left out (their updates are locked).</summary>
    OnlyBlocked,

    /// <summary>The plan has steps to run.</summary>
    Work,
}
