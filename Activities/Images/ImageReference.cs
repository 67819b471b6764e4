using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Supervisor.Activities.Images;

/// <summary>
/// An image reference, <c>[registry[:port]/]path[:tag][@algorithm:hex]</c>, following the grammar of Docker's
/// distribution reference. Names are kept exactly as written, with no <c>docker.io</c> or <c>library/</c>
/// normalisation: the target state gives full names, and the engine must be asked for the name the target used.
/// </summary>
/// <remarks>
/// Two references are equal when they were written the same way; a valid reference's text is already its
/// canonical form, so equality is ordinal comparison of that text.
/// </remarks>
public sealed partial class ImageReference : IEquatable<ImageReference>
{
    private const int MaxNameLength = 255;
    private const int MaxTagLength = 128;
    private const int MinDigestHexLength = 32;
    private const int Sha256HexLength = 64;
    private const string DefaultTag = "latest";
    private const string Localhost = "localhost";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> PathSeparators = SearchValues.Create("._-");

    private readonly string text;

    private ImageReference(string text, int registryLength, int nameLength, int tagLength)
    {
        this.text = text;
        Repository = text[..nameLength];
        Registry = registryLength == 0 ? string.Empty : text[..registryLength];
        Path = registryLength == 0 ? Repository : text[(registryLength + 1)..nameLength];

        int tagStart = nameLength + 1;
        Tag = tagLength == 0 ? string.Empty : text.Substring(tagStart, tagLength);

        int digestStart = tagLength == 0 ? nameLength : tagStart + tagLength;
        Digest = digestStart == text.Length ? string.Empty : text[(digestStart + 1)..];

        // Reuse the text itself whenever it already is the wanted name, so parsing allocates little.
        PullName = (HasTag, HasDigest) switch
        {
            (false, false) => $"{text}:{DefaultTag}",
            (false, true) or (true, false) => text,
            (true, true) => $"{Repository}@{Digest}",
        };
        TagName = (HasTag, HasDigest) switch
        {
            (false, false) => PullName,
            (false, true) => null,
            (true, false) => text,
            (true, true) => text[..digestStart],
        };
    }

    /// <summary>The registry host with its optional port, e.g. <c>registry.example.com:5000</c>; empty when none.</summary>
    public string Registry { get; }

    /// <summary>The path within the registry, e.g. <c>app/main</c>.</summary>
    public string Path { get; }

    /// <summary><see cref="Registry"/> and <see cref="Path"/> joined by <c>/</c>, or just the path.</summary>
    public string Repository { get; }

    /// <summary>The tag as written; empty when none was written (it is not defaulted to <c>latest</c>).</summary>
    public string Tag { get; }

    /// <summary>The digest, <c>algorithm:hex</c>; empty when none.</summary>
    public string Digest { get; }

    public bool HasTag => Tag.Length > 0;

    public bool HasDigest => Digest.Length > 0;

    /// <summary>
    /// The name to pull: <c>Repository@Digest</c> when there is a digest, otherwise <c>Repository:Tag</c> with the
    /// tag defaulting to <c>latest</c>, as Docker does.
    /// </summary>
    public string PullName { get; }

    /// <summary>
    /// The name the engine tags the image with: <c>Repository:Tag</c>, or <c>Repository:latest</c> when neither a
    /// tag nor a digest was written; <see langword="null"/> when only a digest was written, because then the digest
    /// alone names the image.
    /// </summary>
    public string? TagName { get; }

    public static ImageReference Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Read(value, out string reason) ?? throw new InvalidImageReferenceException(value, reason);
    }

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = value is null ? null : Read(value, out _);
        return reference is not null;
    }

    /// <summary>The canonical form, <c>Repository[:Tag][@Digest]</c>.</summary>
    public override string ToString() => text;

    public bool Equals(ImageReference? other) =>
        other is not null && string.Equals(text, other.text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(text);

    public static bool operator ==(ImageReference? left, ImageReference? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ImageReference? left, ImageReference? right) => !(left == right);

    /// <summary>Returns the reference, or <see langword="null"/> with the reason it is invalid.</summary>
    private static ImageReference? Read(string value, out string reason)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            reason = "it is empty";
            return null;
        }

        // Neither a name nor a tag can contain '@', so the first one starts the digest; a tag is what follows the
        // first ':' after the last '/', since a ':' before that can only be a registry port.
        int at = value.IndexOf('@', StringComparison.Ordinal);
        ReadOnlySpan<char> nameAndTag = at < 0 ? value : value.AsSpan(0, at);
        int lastSlash = nameAndTag.LastIndexOf('/');
        int tagColon = nameAndTag[(lastSlash + 1)..].IndexOf(':');
        int nameLength = tagColon < 0 ? nameAndTag.Length : lastSlash + 1 + tagColon;

        ReadOnlySpan<char> name = nameAndTag[..nameLength];
        int registryLength = RegistryLength(name);

        string? problem =
            nameLength == 0 ? "the name is missing"
            : NameProblem(name, registryLength)
            ?? (tagColon < 0 ? null : TagProblem(nameAndTag[(nameLength + 1)..]))
            ?? (at < 0 ? null : DigestProblem(value.AsSpan(at + 1)));
        if (problem is not null)
        {
            reason = problem;
            return null;
        }

        reason = string.Empty;
        int tagLength = tagColon < 0 ? 0 : nameAndTag.Length - nameLength - 1;
        return new ImageReference(value, registryLength, nameLength, tagLength);
    }

    /// <summary>
    /// The first component names a registry only when it cannot be a path component: it has a '.' or ':' (which
    /// includes bracketed IPv6 literals) or is exactly <c>localhost</c>. Otherwise <c>Foo/bar</c> would silently
    /// become a registry called Foo instead of an upper-case path error.
    /// </summary>
    private static int RegistryLength(ReadOnlySpan<char> name)
    {
        int slash = name.IndexOf('/');
        if (slash < 0)
        {
            return 0;
        }

        ReadOnlySpan<char> first = name[..slash];
        return first.ContainsAny('.', ':') || first.SequenceEqual(Localhost) ? slash : 0;
    }

    private static string? NameProblem(ReadOnlySpan<char> name, int registryLength)
    {
        if (registryLength > 0 && RegistryProblem(name[..registryLength]) is { } registryProblem)
        {
            return registryProblem;
        }

        ReadOnlySpan<char> path = registryLength == 0 ? name : name[(registryLength + 1)..];
        if (path.IsEmpty)
        {
            return "the path after the registry is empty";
        }

        foreach (Range range in path.Split('/'))
        {
            ReadOnlySpan<char> component = path[range];
            if (component.IsEmpty)
            {
                return $"path \"{path}\" has an empty component";
            }

            if (!PathComponentPattern().IsMatch(component))
            {
                return PathComponentProblem(component);
            }
        }

        return name.Length > MaxNameLength
            ? $"the name is too long: {name.Length} characters, at most {MaxNameLength} are allowed"
            : null;
    }

    private static string? RegistryProblem(ReadOnlySpan<char> registry)
    {
        int hostLength = registry[0] == '[' ? registry.IndexOf(']') + 1 : registry.IndexOf(':');
        if (hostLength <= 0)
        {
            hostLength = registry.Length;
        }

        ReadOnlySpan<char> host = registry[..hostLength];
        bool validHost = host[0] == '[' ? Ipv6LiteralPattern().IsMatch(host) : HostNamePattern().IsMatch(host);
        if (!validHost)
        {
            return $"registry host \"{host}\" must be a host name (letters, digits and inner '-', separated by '.') "
                + "or an IPv6 address in brackets";
        }

        ReadOnlySpan<char> afterHost = registry[hostLength..];
        if (afterHost.IsEmpty)
        {
            return null;
        }

        if (afterHost[0] != ':')
        {
            return $"registry \"{registry}\" must be host[:port]";
        }

        ReadOnlySpan<char> port = afterHost[1..];
        return port.IsEmpty || port.ContainsAnyExceptInRange('0', '9')
            ? $"registry port \"{port}\" must be digits"
            : null;
    }

    private static string PathComponentProblem(ReadOnlySpan<char> component)
    {
        if (component.ContainsAnyInRange('A', 'Z'))
        {
            return $"path component \"{component}\" must be lower case";
        }

        if (PathSeparators.Contains(component[0]) || PathSeparators.Contains(component[^1]))
        {
            return $"path component \"{component}\" must start and end with a lower-case letter or digit";
        }

        return $"path component \"{component}\" may contain only lower-case letters and digits, "
            + "separated by '.', '_', '__' or one or more '-'";
    }

    private static string? TagProblem(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty)
        {
            return "the tag after \":\" is empty";
        }

        if (tag.Length > MaxTagLength)
        {
            return $"the tag is too long: {tag.Length} characters, at most {MaxTagLength} are allowed";
        }

        if (TagPattern().IsMatch(tag))
        {
            return null;
        }

        return tag[0] is '.' or '-'
            ? $"tag \"{tag}\" must start with a letter, digit or '_'"
            : $"tag \"{tag}\" may contain only letters, digits, '_', '.' and '-'";
    }

    private static string? DigestProblem(ReadOnlySpan<char> digest)
    {
        if (digest.IsEmpty)
        {
            return "the digest after \"@\" is empty";
        }

        int colon = digest.IndexOf(':');
        if (colon <= 0)
        {
            return $"digest \"{digest}\" has no algorithm; a digest is algorithm:hex";
        }

        ReadOnlySpan<char> algorithm = digest[..colon];
        ReadOnlySpan<char> hex = digest[(colon + 1)..];
        if (!DigestAlgorithmPattern().IsMatch(algorithm))
        {
            return $"digest algorithm \"{algorithm}\" must be letters and digits starting with a letter, "
                + "joined by '-', '_', '+' or '.'";
        }

        if (hex.ContainsAnyExcept(HexDigits))
        {
            return $"digest \"{digest}\" must have only hexadecimal digits after the algorithm";
        }

        // Docker holds sha256, the algorithm every registry uses, to its exact form rather than the generic minimum.
        if (algorithm.SequenceEqual("sha256"))
        {
            return hex.Length != Sha256HexLength || hex.ContainsAnyExcept(LowerHexDigits)
                ? $"a sha256 digest must be exactly {Sha256HexLength} lower-case hex digits, "
                    + $"not {hex.Length} characters{(hex.ContainsAnyInRange('A', 'F') ? " with upper case" : "")}"
                : null;
        }

        return hex.Length < MinDigestHexLength
            ? $"the digest is too short: {hex.Length} hex digits, at least {MinDigestHexLength} are required"
            : null;
    }

    [GeneratedRegex(@"\A(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*\z")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex(@"\A\[[0-9a-fA-F:]+\]\z")]
    private static partial Regex Ipv6LiteralPattern();

    [GeneratedRegex(@"\A[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\z")]
    private static partial Regex PathComponentPattern();

    // Spelled as ASCII classes: .NET's \w also matches non-ASCII letters, which Docker's tag grammar does not.
    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*\z")]
    private static partial Regex DigestAlgorithmPattern();
}
