using Supervisor.Workflows.Definitions;
using static Supervisor.Tests.Workflows.Definitions.DefinitionAssert;

namespace Supervisor.Tests.Workflows.Definitions;

public sealed class WorkflowGraphTests
{
    [Fact]
    public void Mermaid_shows_activities_outcomes_start_and_ends()
    {
        var definition = Valid(With(
            """
            "lock":   { "type": "AcquireUpdateLocks", "inputs": { "appId": 1 }, "next": { "Acquired": "stop_it", "Locked": "end" } },
            "stop_it": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": null } },
            "end": { "type": "Fail", "inputs": { "reason": "Locked" } }
            """));

        Assert.Equal(
            """
            flowchart TD
                start((start))
                a_lock["lock<br/>AcquireUpdateLocks"]
                a_stop__it["stop_it<br/>StopService"]
                a_end["end<br/>Fail"]
                done((end))
                start --> a_lock
                a_lock -->|Acquired| a_stop__it
                a_lock -->|Locked| a_end
                a_stop__it -->|Done| done
                a_end --> done

            """.ReplaceLineEndings("\n"),
            WorkflowGraph.ToMermaid(definition));
    }

    [Fact]
    public void Mermaid_node_ids_keep_hyphen_and_underscore_apart()
    {
        var definition = Valid(With(
            """
            "a-b": { "type": "StopService", "inputs": { "appId": 1 }, "next": { "Done": "a_b" } },
            "a_b": { "type": "Fail", "inputs": { "reason": "x" } }
            """,
            start: "a-b"));

        var chart = WorkflowGraph.ToMermaid(definition);

        Assert.Contains("a_a_hb -->|Done| a_a__b", chart, StringComparison.Ordinal);
    }
}
