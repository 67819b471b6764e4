namespace Supervisor.Reconciler.Target;

/// <summary>Builds the dotted JSONPath strings that <see cref="TargetStateError.Path"/> uses.</summary>
internal static class JsonPath
{
    public const string Root = "$";

    /// <summary>
    /// <c>parent.key</c> for plain keys; <c>parent['key']</c> otherwise, so label names such as
    /// <c>io.balena.features.supervisor-api</c> read as one key rather than a chain of them.
    /// </summary>
    public static string Property(string parent, string key) =>
        IsPlain(key)
            ? $"{parent}.{key}"
            : $"{parent}['{key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsPlain(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
