using Supervisor.Workflows.Runs;

namespace Supervisor.Host.Api.V3;

/// <summary>
/// The 404 for a run id the journal holds no run under, in a minute when refusals were counted
/// rather than kept: what the journal knows of that minute's refusals.
/// </summary>
public sealed record RunNotKeptView(string Status, string Message, IReadOnlyList<RefusalCount> Refusals);
