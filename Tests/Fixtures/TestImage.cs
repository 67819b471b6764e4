namespace Supervisor.Tests.Fixtures;

/// <summary>An image a test made for itself and pushed to the test registry.</summary>
/// <param name="Repository">e.g. <c>127.0.0.1:5000/t/pull-3f9a1c2e</c>.</param>
/// <param name="Tag">The tag it was pushed under.</param>
/// <param name="Digest">The manifest digest the registry gave it.</param>
/// <param name="ImageId">The engine's image id.</param>
public sealed record TestImage(string Repository, string Tag, string Digest, string ImageId)
{
    public string TagName => $"{Repository}:{Tag}";

    public string DigestName => $"{Repository}@{Digest}";
}
