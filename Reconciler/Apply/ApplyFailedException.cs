namespace Supervisor.Reconciler.Apply;

/// <summary>
/// Ends an apply job that did not bring the device to its target, so that Hangfire's history
/// shows why; the reconcile loop has already been told and decides when to try again.
/// </summary>
public sealed class ApplyFailedException : Exception
{
    public ApplyFailedException()
    {
    }

    public ApplyFailedException(string message)
        : base(message)
    {
    }

    public ApplyFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
