namespace Supervisor.Workflows.Definitions;

/// <summary>One activity in a definition.</summary>
/// <param name="Id">The key it has in <c>activities</c>.</param>
/// <param name="Type">The activity type name, e.g. <c>Fail</c>.</param>
/// <param name="Inputs">Input name to value; inputs not given take the activity's defaults.</param>
/// <param name="Next">
/// Outcome to the id of the activity that follows, or to null where that outcome ends the run on
/// purpose. Null itself (no <c>next</c> in the file) means every outcome ends the run.
/// </param>
public sealed record ActivityNode(
    string Id,
    string Type,
    IReadOnlyDictionary<string, InputValue> Inputs,
    IReadOnlyDictionary<string, string?>? Next);
