using System.Text;
using System.Text.RegularExpressions;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// A Mermaid flowchart of a definition, so that an operator can see the workflow a file
/// describes. Node ids are derived from activity ids so that a reserved word such as
/// <c>end</c> cannot break the chart.
/// </summary>
public static partial class WorkflowGraph
{
    private const string StartNode = "start";
    private const string EndNode = "done";

    public static string ToMermaid(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var chart = new StringBuilder();
        chart.Append("flowchart TD\n");
        chart.Append("    ").Append(StartNode).Append("((start))\n");
        foreach (var activity in definition.Activities.Values)
        {
            chart.Append("    ").Append(NodeId(activity.Id)).Append("[\"").Append(Text(activity.Id)).Append("<br/>").Append(Text(activity.Type)).Append("\"]\n");
        }

        chart.Append("    ").Append(EndNode).Append("((end))\n");
        chart.Append("    ").Append(StartNode).Append(" --> ").Append(NodeId(definition.Start)).Append('\n');
        foreach (var activity in definition.Activities.Values)
        {
            if (activity.Next is null)
            {
                chart.Append("    ").Append(NodeId(activity.Id)).Append(" --> ").Append(EndNode).Append('\n');
                continue;
            }

            foreach (var (outcome, target) in activity.Next)
            {
                chart.Append("    ").Append(NodeId(activity.Id)).Append(" -->|").Append(Label(outcome)).Append("| ")
                    .Append(target is null ? EndNode : NodeId(target)).Append('\n');
            }
        }

        return chart.ToString();
    }

    // "a_" keeps clear of Mermaid's keywords and of the start and end nodes; '_' and '-' are
    // encoded distinctly so that "a-b" and "a_b" stay two nodes.
    private static string NodeId(string activityId) =>
        "a_" + activityId.Replace("_", "__", StringComparison.Ordinal).Replace("-", "_h", StringComparison.Ordinal);

    private static string Label(string outcome) => PlainLabel().IsMatch(outcome) ? outcome : "\"" + Text(outcome) + "\"";

    private static string Text(string text) => text
        .Replace("&", "#amp;", StringComparison.Ordinal)
        .Replace("\"", "#quot;", StringComparison.Ordinal)
        .Replace("<", "#lt;", StringComparison.Ordinal)
        .Replace(">", "#gt;", StringComparison.Ordinal)
        .Replace("|", "#124;", StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainLabel();
}
