namespace Supervisor.Workflows.Definitions;

/// <summary>One thing wrong with a definition.</summary>
/// <param name="Source">The file (or label) the definition came from.</param>
/// <param name="Location">A JSON Pointer into the definition, e.g. <c>/activities/lock/next</c>; <c>/</c> for the whole file.</param>
/// <param name="Reason">What is wrong, for the operator who edits the file.</param>
public sealed record DefinitionError(string Source, string Location, string Reason)
{
    public override string ToString() => $"{Source}: {Location}: {Reason}";
}
