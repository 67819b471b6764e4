using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace Supervisor.Bench.WorkflowCoreReference;

/// <summary>A no-op step that also signals the benchmark that the chain got to its end.</summary>
public sealed class LastStep(CompletionSignal signal) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        signal.Complete();
        return ExecutionResult.Next();
    }
}
