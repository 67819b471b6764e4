using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Supervisor.Bench.StepEngine;

/// <summary>
/// Few iterations (the machine has two cores and a run must stay short), in process: the
/// generated out-of-process project would inherit the repository's warnings-as-errors build.
/// Median and p95 are shown because the journal's fsyncs make the distribution long-tailed.
/// </summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15));
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
