using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

/// <summary>
/// An activity on one image: its reference is parsed first, and a reference that does not parse
/// fails the run with reason <c>Invalid</c> and the parser's message.
/// </summary>
public abstract class ImageActivity<TInput, TOutput> : WorkflowActivity<TInput, TOutput>
    where TInput : ImageInput
    where TOutput : class
{
    protected sealed override Task<ActivityResult> ExecuteAsync(TInput input, ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(input.Image);
        }
        catch (InvalidImageReferenceException ex)
        {
            return Task.FromResult(Fail("Invalid", ex.Message));
        }

        return ExecuteAsync(input, reference, context, cancellationToken);
    }

    protected abstract Task<ActivityResult> ExecuteAsync(TInput input, ImageReference reference, ActivityContext context, CancellationToken cancellationToken);
}
