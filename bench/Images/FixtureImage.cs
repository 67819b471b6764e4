namespace Supervisor.Bench.Images;

/// <summary>A fixture image in the loopback registry, as the manifest lists it.</summary>
public sealed record FixtureImage(string Repository, string Tag, string Digest, string ImageId)
{
    public string DigestName => $"{Repository}@{Digest}";

    public string TagName => $"{Repository}:{Tag}";

    /// <summary>The form the target state uses: <c>repo:tag@digest</c>.</summary>
    public string Reference => $"{Repository}:{Tag}@{Digest}";
}
