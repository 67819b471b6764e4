namespace Supervisor.Workflows.Definitions;

/// <summary>
/// A value taken from the run when the activity starts: <c>$.input[.a.b]</c>,
/// <c>$.activities.ID.output[.a.b]</c> or <c>$.activities.ID.outcome</c>.
/// </summary>
/// <param name="Path">The reference as written.</param>
/// <param name="Root">What it starts from.</param>
/// <param name="ActivityId">The activity referred to; null for <see cref="ReferenceRoot.Input"/>.</param>
/// <param name="Members">The property names after the root, e.g. <c>["message"]</c>.</param>
public sealed record ReferenceInput(string Path, ReferenceRoot Root, string? ActivityId, IReadOnlyList<string> Members) : InputValue;
