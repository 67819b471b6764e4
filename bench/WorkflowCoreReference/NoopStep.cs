using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace Supervisor.Bench.WorkflowCoreReference;

/// <summary>WorkflowCore's equivalent of <see cref="StepEngine.Noop"/>.</summary>
public sealed class NoopStep : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context) => ExecutionResult.Next();
}
