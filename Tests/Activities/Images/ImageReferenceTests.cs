using Supervisor.Activities.Images;

namespace Supervisor.Tests.Activities.Images;

public class ImageReferenceTests
{
    private const string Sha = "0834c2d60725ac5902257b3b78dd161ad26d1c0290dbf1e47cc14add5b8c8142";
    private const string Digest = "sha256:" + Sha;
    private const string BalenaName = "registry2.balena-cloud.com/v2/d2a57dc1d883fd21fb9951699df71cc7";

    // "registry.example.com/" is 21 characters, so these paths put the whole name at 255 and 256.
    private static readonly string LongestName = "registry.example.com/" + new string('a', 234);
    private static readonly string TooLongName = LongestName + "a";
    private static readonly string LongestTag = new('t', 128);

    // input, Registry, Path, Repository, Tag, Digest, PullName, TagName
    public static TheoryData<string, string, string, string, string, string, string, string?> Valid => new()
    {
        // name only, tag only, digest only, tag and digest
        { "app", "", "app", "app", "", "", "app:latest", "app:latest" },
        { "app:v1", "", "app", "app", "v1", "", "app:v1", "app:v1" },
        { $"app@{Digest}", "", "app", "app", "", Digest, $"app@{Digest}", null },
        { $"app:v1@{Digest}", "", "app", "app", "v1", Digest, $"app@{Digest}", "app:v1" },

        // nested paths
        { "app/main", "", "app/main", "app/main", "", "", "app/main:latest", "app/main:latest" },
        { "a/b/c:1.0", "", "a/b/c", "a/b/c", "1.0", "", "a/b/c:1.0", "a/b/c:1.0" },
        { "a/b/c/d", "", "a/b/c/d", "a/b/c/d", "", "", "a/b/c/d:latest", "a/b/c/d:latest" },

        // registries
        { "registry.example.com/app", "registry.example.com", "app", "registry.example.com/app", "", "", "registry.example.com/app:latest", "registry.example.com/app:latest" },
        { "registry.example.com:5000/a/b", "registry.example.com:5000", "a/b", "registry.example.com:5000/a/b", "", "", "registry.example.com:5000/a/b:latest", "registry.example.com:5000/a/b:latest" },
        { $"registry.example.com:5000/app/main:v1@{Digest}", "registry.example.com:5000", "app/main", "registry.example.com:5000/app/main", "v1", Digest, $"registry.example.com:5000/app/main@{Digest}", "registry.example.com:5000/app/main:v1" },
        { "localhost/app", "localhost", "app", "localhost/app", "", "", "localhost/app:latest", "localhost/app:latest" },
        { "localhost:5000/app", "localhost:5000", "app", "localhost:5000/app", "", "", "localhost:5000/app:latest", "localhost:5000/app:latest" },
        { "localhost:5000/app:dev", "localhost:5000", "app", "localhost:5000/app", "dev", "", "localhost:5000/app:dev", "localhost:5000/app:dev" },
        { "127.0.0.1:5000/app", "127.0.0.1:5000", "app", "127.0.0.1:5000/app", "", "", "127.0.0.1:5000/app:latest", "127.0.0.1:5000/app:latest" },
        { "[::1]:5000/app", "[::1]:5000", "app", "[::1]:5000/app", "", "", "[::1]:5000/app:latest", "[::1]:5000/app:latest" },
        { "[::1]/app:1", "[::1]", "app", "[::1]/app", "1", "", "[::1]/app:1", "[::1]/app:1" },
        { "[2001:db8::1]:443/team/app", "[2001:db8::1]:443", "team/app", "[2001:db8::1]:443/team/app", "", "", "[2001:db8::1]:443/team/app:latest", "[2001:db8::1]:443/team/app:latest" },
        { "Registry.Example.COM/app", "Registry.Example.COM", "app", "Registry.Example.COM/app", "", "", "Registry.Example.COM/app:latest", "Registry.Example.COM/app:latest" },
        { "my-host.example/app", "my-host.example", "app", "my-host.example/app", "", "", "my-host.example/app:latest", "my-host.example/app:latest" },
        { "host:1/app", "host:1", "app", "host:1/app", "", "", "host:1/app:latest", "host:1/app:latest" },
        { $"{BalenaName}@{Digest}", "registry2.balena-cloud.com", "v2/d2a57dc1d883fd21fb9951699df71cc7", BalenaName, "", Digest, $"{BalenaName}@{Digest}", null },

        // Without a '/' the first component is a path, so these are Docker's readings too.
        { "localhost:5000", "", "localhost", "localhost", "5000", "", "localhost:5000", "localhost:5000" },
        { "example.com", "", "example.com", "example.com", "", "", "example.com:latest", "example.com:latest" },

        // path separators
        { "team/my.app", "", "team/my.app", "team/my.app", "", "", "team/my.app:latest", "team/my.app:latest" },
        { "team/my_app", "", "team/my_app", "team/my_app", "", "", "team/my_app:latest", "team/my_app:latest" },
        { "team/my__app", "", "team/my__app", "team/my__app", "", "", "team/my__app:latest", "team/my__app:latest" },
        { "team/my-app", "", "team/my-app", "team/my-app", "", "", "team/my-app:latest", "team/my-app:latest" },
        { "team/my---app", "", "team/my---app", "team/my---app", "", "", "team/my---app:latest", "team/my---app:latest" },
        { "a0/b1.c2_d3__e4-f5--6", "", "a0/b1.c2_d3__e4-f5--6", "a0/b1.c2_d3__e4-f5--6", "", "", "a0/b1.c2_d3__e4-f5--6:latest", "a0/b1.c2_d3__e4-f5--6:latest" },

        // tags
        { "app:_private", "", "app", "app", "_private", "", "app:_private", "app:_private" },
        { "app:V1.0-RC_2", "", "app", "app", "V1.0-RC_2", "", "app:V1.0-RC_2", "app:V1.0-RC_2" },
        { $"app:{LongestTag}", "", "app", "app", LongestTag, "", $"app:{LongestTag}", $"app:{LongestTag}" },

        // digests of other algorithms follow the generic grammar: at least 32 hex digits, any case
        { "app@sha512:" + Sha + Sha, "", "app", "app", "", "sha512:" + Sha + Sha, "app@sha512:" + Sha + Sha, null },
        { "app@my-alg+x.y:0123456789abcdef0123456789ABCDEF", "", "app", "app", "", "my-alg+x.y:0123456789abcdef0123456789ABCDEF", "app@my-alg+x.y:0123456789abcdef0123456789ABCDEF", null },

        // name length limit
        { LongestName, "registry.example.com", LongestName[21..], LongestName, "", "", LongestName + ":latest", LongestName + ":latest" },
    };

    public static TheoryData<string> ValidInputs => new(Valid.Select(row => (string)row[0]));

    // input, a fragment the reason must contain
    public static TheoryData<string, string> Invalid => new()
    {
        { "", "it is empty" },
        { "   ", "it is empty" },
        { ":v1", "the name is missing" },
        { $"@{Digest}", "the name is missing" },

        // path components
        { "Foo/Bar:1", "path component \"Foo\" must be lower case" },
        { "app/Main", "path component \"Main\" must be lower case" },
        { "registry.example.com/App", "path component \"App\" must be lower case" },
        { "app/", "path \"app/\" has an empty component" },
        { "/app", "path \"/app\" has an empty component" },
        { "app//main", "path \"app//main\" has an empty component" },
        { "localhost/", "the path after the registry is empty" },
        { "-app", "path component \"-app\" must start and end with a lower-case letter or digit" },
        { "app_", "path component \"app_\" must start and end with a lower-case letter or digit" },
        { "team/.app", "path component \".app\" must start and end with a lower-case letter or digit" },
        { "a..b", "path component \"a..b\" may contain only lower-case letters and digits" },
        { "a___b", "path component \"a___b\" may contain only lower-case letters and digits" },
        { "a_-b", "path component \"a_-b\" may contain only lower-case letters and digits" },
        { " app", "path component \" app\" may contain only lower-case letters and digits" },
        { TooLongName, "the name is too long: 256 characters, at most 255 are allowed" },

        // registries
        { "registry-.example.com/app", "registry host \"registry-.example.com\" must be a host name" },
        { "registry..example.com/app", "registry host \"registry..example.com\" must be a host name" },
        { "[::1/app", "registry host \"[::1\" must be a host name" },
        { "[::1]x:5000/app", "registry \"[::1]x:5000\" must be host[:port]" },
        { "localhost:abc/app", "registry port \"abc\" must be digits" },
        { "localhost:/app", "registry port \"\" must be digits" },

        // tags
        { "app:", "the tag after \":\" is empty" },
        { $"app:{LongestTag}t", "the tag is too long: 129 characters, at most 128 are allowed" },
        { "app:.v1", "tag \".v1\" must start with a letter, digit or '_'" },
        { "app:-v1", "tag \"-v1\" must start with a letter, digit or '_'" },
        { "app:v1!", "tag \"v1!\" may contain only letters, digits, '_', '.' and '-'" },
        { "app:v1:v2", "tag \"v1:v2\" may contain only letters, digits, '_', '.' and '-'" },
        { "app:v1 ", "tag \"v1 \" may contain only letters, digits, '_', '.' and '-'" },
        { "app:café", "tag \"café\" may contain only letters, digits, '_', '.' and '-'" },

        // digests
        { "app@", "the digest after \"@\" is empty" },
        { "app:v1@", "the digest after \"@\" is empty" },
        { $"app@{Sha}", $"digest \"{Sha}\" has no algorithm" },
        { $"app@:{Sha}", $"digest \":{Sha}\" has no algorithm" },
        { $"app@1sha:{Sha}", "digest algorithm \"1sha\" must be letters and digits" },
        { $"app@sha-:{Sha}", "digest algorithm \"sha-\" must be letters and digits" },
        { "app@sha256:" + Sha[..^2] + "zz", "must have only hexadecimal digits after the algorithm" },
        { $"app@{Digest}@{Digest}", "must have only hexadecimal digits after the algorithm" },
        { "app@sha256:abc", "a sha256 digest must be exactly 64 lower-case hex digits, not 3 characters" },
        { "app@sha256:" + Sha[..^1], "a sha256 digest must be exactly 64 lower-case hex digits, not 63 characters" },
        { "app@sha256:" + Sha + "0", "a sha256 digest must be exactly 64 lower-case hex digits, not 65 characters" },
        { "app@sha256:" + Sha.ToUpperInvariant(), "a sha256 digest must be exactly 64 lower-case hex digits, not 64 characters with upper case" },
        { "app@sha256:", "a sha256 digest must be exactly 64 lower-case hex digits, not 0 characters" },
        { "app@sha512:abcdef", "the digest is too short: 6 hex digits, at least 32 are required" },
        { "app@sha512:" + Sha[..31], "the digest is too short: 31 hex digits, at least 32 are required" },
    };

    public static TheoryData<string> InvalidInputs => new(Invalid.Select(row => (string)row[0]));

    [Theory]
    [MemberData(nameof(Valid))]
    public void ParseReadsEveryPartOfAValidReference(
        string input, string registry, string path, string repository, string tag, string digest, string pullName, string? tagName)
    {
        ImageReference reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(path, reference.Path);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(pullName, reference.PullName);
        Assert.Equal(tagName, reference.TagName);
        Assert.Equal(tag.Length > 0, reference.HasTag);
        Assert.Equal(digest.Length > 0, reference.HasDigest);
    }

    [Theory]
    [MemberData(nameof(ValidInputs))]
    public void ToStringGivesTheTextAsWrittenAndParsesBackToAnEqualReference(string input)
    {
        ImageReference reference = ImageReference.Parse(input);

        ImageReference reparsed = ImageReference.Parse(reference.ToString());

        Assert.Equal(input, reference.ToString());
        Assert.Equal(reference, reparsed);
        Assert.Equal(reference.GetHashCode(), reparsed.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ParseRejectsAnInvalidReferenceQuotingTheInputAndTheReason(string input, string reason)
    {
        InvalidImageReferenceException error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.Parse(input));

        Assert.Contains($"Invalid image reference \"{input}\": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("Expected [registry[:port]/]path[:tag][@algorithm:hex]", error.Message, StringComparison.Ordinal);
        Assert.Equal(input, error.Input);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void TryParseReturnsFalseForAnInvalidReference(string input)
    {
        Assert.False(ImageReference.TryParse(input, out ImageReference? reference));
        Assert.Null(reference);
    }

    [Fact]
    public void ParseGivesTheWholeMessage()
    {
        InvalidImageReferenceException error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.Parse("Foo/Bar:1"));

        Assert.Equal(
            "Invalid image reference \"Foo/Bar:1\": path component \"Foo\" must be lower case. "
            + "Expected [registry[:port]/]path[:tag][@algorithm:hex], e.g. registry.example.com:5000/app/main:v1@sha256:<64 hex digits>.",
            error.Message);
        Assert.Equal("Foo/Bar:1", error.Input);
        Assert.Equal("path component \"Foo\" must be lower case", error.Reason);
    }

    [Fact]
    public void ParseRejectsNull() =>
        Assert.Throws<ArgumentNullException>(() => ImageReference.Parse(null!));

    [Fact]
    public void TryParseReturnsTheReferenceForAValidOne()
    {
        Assert.True(ImageReference.TryParse($"registry.example.com:5000/app/main:v1@{Digest}", out ImageReference? reference));

        Assert.Equal("registry.example.com:5000", reference.Registry);
        Assert.Equal("v1", reference.Tag);
        Assert.Equal(Digest, reference.Digest);
    }

    [Fact]
    public void TryParseReturnsFalseForNull()
    {
        Assert.False(ImageReference.TryParse(null, out ImageReference? reference));
        Assert.Null(reference);
    }

    [Fact]
    public void ReferencesWrittenAlikeAreEqual()
    {
        ImageReference first = ImageReference.Parse("localhost:5000/app:v1");
        ImageReference second = ImageReference.Parse("localhost:5000/app:v1");

        Assert.Equal(first, second);
        Assert.True(first == second);
        Assert.False(first != second);
        Assert.True(first.Equals((object)second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Theory]
    [InlineData("localhost:5000/app:v1", "localhost:5000/app:v2")]
    [InlineData("localhost:5000/app:v1", "localhost:5001/app:v1")]
    [InlineData("app", "app:latest")]
    [InlineData("app:v1", "app:v1@" + Digest)]
    [InlineData("Registry.Example.com/app", "registry.example.com/app")]
    public void ReferencesWrittenDifferentlyAreNotEqual(string left, string right)
    {
        ImageReference first = ImageReference.Parse(left);
        ImageReference second = ImageReference.Parse(right);

        Assert.NotEqual(first, second);
        Assert.False(first == second);
        Assert.True(first != second);
        Assert.False(first.Equals(null));
        Assert.False(first == null);
    }
}
