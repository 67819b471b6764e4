using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Storage;

namespace Supervisor.Tests.Fixtures.Activities;

/// <summary>A <see cref="JournalProbe"/> that the runner may start before the run is on disk.</summary>
[WithoutWriteAhead]
public sealed class ProbeBeforeWriteAhead(SupervisorDatabase database) : JournalProbe(database);
