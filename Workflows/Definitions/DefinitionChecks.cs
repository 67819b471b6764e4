using System.Text.Json;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// The rules the schema cannot express: activity types against the catalog, inputs, outcomes,
/// the graph of <c>next</c> and the references between activities.
/// </summary>
internal sealed class DefinitionChecks
{
    private readonly string source;
    private readonly WorkflowDefinition definition;
    private readonly IActivityCatalog catalog;
    private readonly List<DefinitionError> errors;
    private readonly ActivityGraph graph;

    public DefinitionChecks(WorkflowDefinition definition, IActivityCatalog catalog, List<DefinitionError> errors)
    {
        source = definition.Source;
        this.definition = definition;
        this.catalog = catalog;
        this.errors = errors;
        graph = new ActivityGraph(definition.Activities);
    }

    public void Run()
    {
        var startExists = definition.Activities.ContainsKey(definition.Start);
        if (!startExists)
        {
            Add(JsonLocation.Of("start"), $"start activity '{definition.Start}' is not one of the activities: {Listed(definition.Activities.Keys)}");
        }

        foreach (var activity in definition.Activities.Values)
        {
            var descriptor = CheckType(activity);
            CheckInputs(activity, descriptor);
            CheckNext(activity, descriptor);
        }

        if (startExists)
        {
            CheckReachable();
        }
    }

    private ActivityDescriptor? CheckType(ActivityNode activity)
    {
        var descriptor = catalog.Find(activity.Type);
        if (descriptor is null)
        {
            Add(
                JsonLocation.Of("activities", activity.Id, "type"),
                $"activity '{activity.Id}' has unknown type '{activity.Type}'; the known types are: {Listed(catalog.All.Select(d => d.TypeName).Order(StringComparer.Ordinal))}");
        }

        return descriptor;
    }

    private void CheckInputs(ActivityNode activity, ActivityDescriptor? descriptor)
    {
        var inputsLocation = JsonLocation.Of("activities", activity.Id, "inputs");
        foreach (var (name, value) in activity.Inputs)
        {
            var location = JsonLocation.Child(inputsLocation, name);
            var port = descriptor?.Inputs.FirstOrDefault(p => p.Name == name);
            if (descriptor is not null && port is null)
            {
                Add(location, $"'{name}' is not an input of {descriptor.TypeName} (activity '{activity.Id}'); its inputs are: {Listed(descriptor.Inputs.Select(p => p.Name))}");
            }

            switch (value)
            {
                case LiteralInput literal when port is not null && !Accepts(port.Kind, literal.Value):
                    Add(location, $"input '{name}' of {descriptor!.TypeName} (activity '{activity.Id}') takes {Article(port.Kind)}, but the literal {literal.Value.GetRawText()} is {LiteralKind(literal.Value)}");
                    break;
                case ReferenceInput reference:
                    CheckReference(activity, name, location, reference, port, descriptor);
                    break;
            }
        }

        if (descriptor is null)
        {
            return;
        }

        foreach (var port in descriptor.Inputs.Where(p => p.Required && !activity.Inputs.ContainsKey(p.Name)))
        {
            Add(
                activity.Inputs.Count == 0 ? JsonLocation.Of("activities", activity.Id) : inputsLocation,
                $"required input '{port.Name}' of {descriptor.TypeName} (activity '{activity.Id}') is missing");
        }
    }

    private void CheckReference(ActivityNode activity, string name, string location, ReferenceInput reference, ActivityPort? port, ActivityDescriptor? descriptor)
    {
        if (reference.ActivityId is not { } sourceId)
        {
            return;
        }

        var prefix = $"input '{name}' of activity '{activity.Id}' refers to '{reference.Path}'";
        if (!definition.Activities.TryGetValue(sourceId, out var sourceActivity))
        {
            Add(location, $"{prefix}, but there is no activity '{sourceId}'");
            return;
        }

        if (!graph.After(sourceId).Contains(activity.Id))
        {
            Add(location, sourceId == activity.Id
                ? $"{prefix}, its own result, which does not exist yet when its inputs are read (it never loops back to itself)"
                : $"{prefix}, but '{sourceId}' cannot have run before '{activity.Id}': no path through 'next' leads from '{sourceId}' to '{activity.Id}'");
            return;
        }

        var sourceDescriptor = catalog.Find(sourceActivity.Type);
        if (sourceDescriptor is null)
        {
            return;
        }

        ValueKind? sourceKind = null;
        var what = string.Empty;
        switch (reference.Root)
        {
            case ReferenceRoot.ActivityOutcome:
                sourceKind = ValueKind.String;
                what = $"the outcome of '{sourceId}'";
                break;
            case ReferenceRoot.ActivityOutput when reference.Members.Count == 0:
                sourceKind = ValueKind.Object;
                what = $"the output of '{sourceId}'";
                break;
            case ReferenceRoot.ActivityOutput:
                var output = sourceDescriptor.Outputs.FirstOrDefault(p => p.Name == reference.Members[0]);
                if (output is null)
                {
                    Add(location, $"{prefix}, but '{reference.Members[0]}' is not an output of {sourceDescriptor.TypeName} (activity '{sourceId}'); its outputs are: {Listed(sourceDescriptor.Outputs.Select(p => p.Name))}");
                    return;
                }

                // Below the first member the shape of an Object or Any output is not declared.
                sourceKind = reference.Members.Count == 1 ? output.Kind : null;
                what = $"output '{output.Name}' of {sourceDescriptor.TypeName} (activity '{sourceId}')";
                break;
        }

        if (port is not null && sourceKind is { } kind && !Accepts(port.Kind, kind))
        {
            Add(location, $"input '{name}' of {descriptor!.TypeName} (activity '{activity.Id}') takes {Article(port.Kind)}, but {what} is {Article(kind)}");
        }
    }

    private void CheckNext(ActivityNode activity, ActivityDescriptor? descriptor)
    {
        if (activity.Next is not { } next)
        {
            return;
        }

        var nextLocation = JsonLocation.Of("activities", activity.Id, "next");
        if (descriptor is not null && descriptor.Outcomes.Count == 0)
        {
            Add(nextLocation, $"activity '{activity.Id}' has 'next', but {descriptor.TypeName} declares no outcomes: it always ends the run; remove 'next'");
        }

        foreach (var (outcome, target) in next)
        {
            var location = JsonLocation.Child(nextLocation, outcome);
            if (descriptor is not null && descriptor.Outcomes.Count > 0 && !descriptor.Outcomes.Contains(outcome))
            {
                Add(location, $"'{outcome}' is not an outcome of {descriptor.TypeName} (activity '{activity.Id}'); its outcomes are: {Listed(descriptor.Outcomes)}");
            }

            if (target is not null && !definition.Activities.ContainsKey(target))
            {
                Add(location, $"outcome '{outcome}' of activity '{activity.Id}' leads to '{target}', which is not one of the activities: {Listed(definition.Activities.Keys)}");
            }
        }

        var unhandled = descriptor?.Outcomes.Where(o => !next.ContainsKey(o)).ToList() ?? [];
        if (unhandled.Count > 0)
        {
            Add(
                nextLocation,
                $"outcome{(unhandled.Count == 1 ? string.Empty : "s")} {Listed(unhandled)} of activity '{activity.Id}' ({descriptor!.TypeName}) {(unhandled.Count == 1 ? "is" : "are")} not handled in 'next'; "
                + $"connect {(unhandled.Count == 1 ? "it" : "each")} to an activity, or end the run on purpose with \"{unhandled[0]}\": null");
        }
    }

    private void CheckReachable()
    {
        var reached = new HashSet<string>(graph.After(definition.Start), StringComparer.Ordinal) { definition.Start };
        foreach (var id in definition.Activities.Keys.Where(id => !reached.Contains(id)))
        {
            Add(JsonLocation.Of("activities", id), $"activity '{id}' is unreachable: no path through 'next' leads to it from start activity '{definition.Start}'");
        }
    }

    private static bool Accepts(ValueKind port, ValueKind given) =>
        port == ValueKind.Any || given == ValueKind.Any || port == given || (port == ValueKind.Number && given == ValueKind.Integer);

    private static bool Accepts(ValueKind port, JsonElement literal) => port switch
    {
        ValueKind.Any => true,
        ValueKind.String => literal.ValueKind == JsonValueKind.String,
        ValueKind.Number => literal.ValueKind == JsonValueKind.Number,
        ValueKind.Integer => literal.ValueKind == JsonValueKind.Number && IsWhole(literal),
        ValueKind.Boolean => literal.ValueKind is JsonValueKind.True or JsonValueKind.False,
        ValueKind.Object => literal.ValueKind == JsonValueKind.Object,
        ValueKind.Array => literal.ValueKind == JsonValueKind.Array,
        _ => false,
    };

    // JSON Schema counts 1.0 as an integer; so do we.
    private static bool IsWhole(JsonElement number) =>
        number.TryGetDecimal(out var value) ? decimal.Truncate(value) == value : double.IsInteger(number.GetDouble());

    private static string LiteralKind(JsonElement literal) => literal.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => IsWhole(literal) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    private static string Article(ValueKind kind) => kind switch
    {
        ValueKind.Integer or ValueKind.Object or ValueKind.Array or ValueKind.Any => "an " + Name(kind),
        _ => "a " + Name(kind),
    };

    private static string Name(ValueKind kind) => kind.ToString().ToLowerInvariant();

    private static string Listed(IEnumerable<string> names)
    {
        var list = string.Join(", ", names);
        return list.Length == 0 ? "(none)" : list;
    }

    private void Add(string location, string reason) => errors.Add(new DefinitionError(source, location, reason));
}
