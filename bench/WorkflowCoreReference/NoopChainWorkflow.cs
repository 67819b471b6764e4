using WorkflowCore.Interface;

namespace Supervisor.Bench.WorkflowCoreReference;

/// <summary>A chain of <see cref="Steps"/> no-op steps, the last of which signals completion.</summary>
public sealed class NoopChainWorkflow : IWorkflow<object>
{
    public const string WorkflowId = "noop-chain";

    /// <summary>The same length as the step engine's chain in <see cref="StepEngine.StepEngineOverheadBenchmarks"/>.</summary>
    public const int Steps = StepEngine.StepEngineOverheadBenchmarks.Activities;

    public string Id => WorkflowId;

    public int Version => 1;

    public void Build(IWorkflowBuilder<object> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var chain = builder.StartWith<NoopStep>();
        for (var i = 2; i < Steps; i++)
        {
            chain = chain.Then<NoopStep>();
        }

        chain.Then<LastStep>();
    }
}
