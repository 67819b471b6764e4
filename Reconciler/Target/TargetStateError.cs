namespace Supervisor.Reconciler.Target;

/// <summary>
/// One problem found in a target state document.
/// </summary>
/// <param name="Path">
/// Where the problem is, in dotted JSONPath form rooted at <c>$</c>, e.g.
/// <c>$.&lt;device&gt;.apps.&lt;app&gt;.releases.&lt;commit&gt;.services.main.image</c>; keys that are not plain
/// (letters, digits, '_' and '-') are written <c>['key']</c>, array items <c>[index]</c>.
/// </param>
/// <param name="Message">What is wrong, in words for whoever wrote the document.</param>
public sealed record TargetStateError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
