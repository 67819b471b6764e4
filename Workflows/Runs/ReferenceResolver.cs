using System.Text.Json;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// Turns an activity's inputs into the JSON object it receives. A member missing from the run's
/// input or from an earlier activity's output leaves the input out (so it takes its default, or
/// is reported as missing if required); a reference to an activity that has not run is a fault.
/// </summary>
internal static class ReferenceResolver
{
    public static JsonElement Resolve(ActivityNode node, JsonElement runInput, IReadOnlyDictionary<string, StepResult> results) =>
        WorkflowJson.WriteObject(writer =>
        {
            foreach (var (name, value) in node.Inputs)
            {
                JsonElement? resolved = value switch
                {
                    LiteralInput literal => literal.Value,
                    ReferenceInput reference => Resolve(node.Id, name, reference, runInput, results),
                    _ => throw new InvalidOperationException($"Unknown input kind {value.GetType().Name}."),
                };
                if (resolved is { } element)
                {
                    writer.WritePropertyName(name);
                    element.WriteTo(writer);
                }
            }
        });

    private static JsonElement? Resolve(string activityId, string inputName, ReferenceInput reference, JsonElement runInput, IReadOnlyDictionary<string, StepResult> results)
    {
        JsonElement start;
        switch (reference.Root)
        {
            case ReferenceRoot.Input:
                start = runInput;
                break;
            case ReferenceRoot.ActivityOutcome or ReferenceRoot.ActivityOutput:
                if (!results.TryGetValue(reference.ActivityId!, out var result))
                {
                    throw new WorkflowReferenceException(
                        $"Input \"{inputName}\" of activity \"{activityId}\" refers to {reference.Path}, but activity \"{reference.ActivityId}\" has not run in this run.");
                }

                if (reference.Root == ReferenceRoot.ActivityOutcome)
                {
                    return JsonSerializer.SerializeToElement(result.Outcome);
                }

                if (result.Output is not { } output)
                {
                    return null;
                }

                start = output;
                break;
            default:
                throw new InvalidOperationException($"Unknown reference root {reference.Root}.");
        }

        var current = start;
        foreach (var member in reference.Members)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(member, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }
}
