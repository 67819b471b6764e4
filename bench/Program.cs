using BenchmarkDotNet.Running;
using Supervisor.Bench.Images;
using Supervisor.Bench.Measurements;

namespace Supervisor.Bench;

/// <summary>
/// BenchmarkDotNet benchmarks by default; the host measurements, which need a running host with its
/// own timers and queues rather than BenchmarkDotNet's invocation loop, by verb.
/// </summary>
/// <remarks>A named class, not top-level statements: the referenced host already has a global <c>Program</c>.</remarks>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var verb = args.Length > 0 ? args[0] : string.Empty;
        var rest = args.Skip(1).ToArray();
        switch (verb)
        {
            case "api-latency":
                return await ApiLatency.RunAsync(rest).ConfigureAwait(false);
            case "background-latency":
                return await BackgroundLatency.RunAsync(rest).ConfigureAwait(false);
            case "engine-runs":
                return await EngineRuns.RunAsync(rest).ConfigureAwait(false);
            case "image-checkup":
                return await ImageCheckupBench.RunAsync(rest).ConfigureAwait(false);
            case "image-fetch":
                return await ImageFetchBench.RunAsync(rest).ConfigureAwait(false);
            case "reconcile-pass":
                return await Supervisor.Bench.Reconcile.ReconcilePassBench.RunAsync(rest).ConfigureAwait(false);
            case "apply-release":
                return await Supervisor.Bench.Reconcile.ApplyReleaseBench.RunAsync(rest).ConfigureAwait(false);
            case "change-one":
                return await Supervisor.Bench.Reconcile.ChangeOneServiceBench.RunAsync(rest).ConfigureAwait(false);
            case "device-api":
                return await Supervisor.Bench.DeviceApi.DeviceApiBench.RunAsync(rest).ConfigureAwait(false);
            case "local-push":
                return await Supervisor.Bench.DeviceApi.LocalPushBench.RunAsync(rest).ConfigureAwait(false);
            case "local-logs":
                return await Supervisor.Bench.DeviceApi.LocalLogsBench.RunAsync(rest).ConfigureAwait(false);
            case "idle-host":
                return await IdleHost.RunAsync(rest).ConfigureAwait(false);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
                return 0;
        }
    }
}
