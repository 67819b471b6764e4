namespace Supervisor.Workflows.Activities;

/// <summary>
/// Lets the runner start this activity before the run is on disk. By default a run is written
/// (durably) before each activity starts, so that a crash never loses track of an action under
/// way. An activity marked with this either changes nothing (<c>Fail</c>, <c>Respond</c>) or calls
/// <see cref="ActivityContext.WriteAheadAsync"/> itself before it changes anything or waits
/// (<c>AcquireUpdateLocks</c>). A run that ends before any write-ahead, such as an action refused
/// by a user's update lock, is answered first and written just after, in a batch with others:
/// after a power cut in between it is missing from the history, and it changed nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WithoutWriteAheadAttribute : Attribute;
