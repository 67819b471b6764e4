namespace Supervisor.Workflows.Runs;

/// <summary>
/// How many runs of one workflow were refused for one reason in one minute without changing
/// anything. The first of them (<paramref name="KeptRunId"/>) is kept in full; the others are
/// only counted, so the journal holds no run under their ids.
/// </summary>
/// <param name="Minute">The start of the minute the runs were created in (UTC).</param>
/// <param name="Count">Every run refused so, the kept one included.</param>
/// <param name="KeptRunId">The run kept in full, with its steps and times.</param>
public sealed record RefusalCount(string WorkflowId, string Reason, DateTimeOffset Minute, int Count, string? KeptRunId);
