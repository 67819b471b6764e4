using Microsoft.Extensions.Configuration;
using Supervisor.Workflows.Runs;

namespace Supervisor.Bench;

/// <summary>The configuration the host's <c>AddStepEngine</c> reads, pointed at a bench's own folders.</summary>
public static class BenchStepEngineConfiguration
{
    public static IConfiguration For(BenchDirectory directory, JournalFlush flush, IReadOnlyDictionary<string, string?>? more = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Supervisor:DataDir"] = directory.Data,
            ["Supervisor:WorkflowsDir"] = directory.Workflows,
            ["Supervisor:JournalFlush"] = flush.ToString(),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
