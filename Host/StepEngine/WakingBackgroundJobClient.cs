using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Supervisor.Host.StepEngine;

/// <summary>
/// Hangfire's job client, which wakes the workers (<see cref="QueueWakeUp"/>) once a job it created or moved is
/// stored: the wake-up comes after the job's transaction, so the woken worker finds it.
/// </summary>
public sealed class WakingBackgroundJobClient(IBackgroundJobClientV2 inner, QueueWakeUp wakeUp) : IBackgroundJobClientV2
{
    public JobStorage Storage => inner.Storage;

    public string Create(Job job, IState state) => Woken(inner.Create(job, state));

    public string Create(Job job, IState state, IDictionary<string, object> parameters) => Woken(inner.Create(job, state, parameters));

    public bool ChangeState(string jobId, IState state, string expectedState) => Woken(inner.ChangeState(jobId, state, expectedState));

    private T Woken<T>(T result)
    {
        wakeUp.Wake();
        return result;
    }
}
