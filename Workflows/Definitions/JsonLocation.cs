namespace Supervisor.Workflows.Definitions;

/// <summary>Builds the JSON Pointers errors are located by (RFC 6901).</summary>
internal static class JsonLocation
{
    public const string Root = "/";

    public static string Of(params string[] members)
    {
        if (members.Length == 0)
        {
            return Root;
        }

        return string.Concat(members.Select(m => "/" + Escape(m)));
    }

    public static string Child(string parent, string member) =>
        (parent == Root ? string.Empty : parent) + "/" + Escape(member);

    private static string Escape(string member) => member.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
