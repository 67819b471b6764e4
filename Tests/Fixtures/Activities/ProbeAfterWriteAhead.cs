using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>A <see cref="JournalProbe"/> with the default: the runner writes the run before it starts.</summary>
public sealed class ProbeAfterWriteAhead(SupervisorDatabase database) : JournalProbe(database);
