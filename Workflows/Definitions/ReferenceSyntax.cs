using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Reads the references an input may hold: <c>$.input[.m...]</c>, <c>$.activities.ID.output[.m...]</c>
/// and <c>$.activities.ID.outcome</c>. Any other string starting with <c>$.</c> is a mistake rather
/// than a literal, because a typo in a reference would otherwise pass silently as text.
/// </summary>
internal static partial class ReferenceSyntax
{
    public const string Prefix = "$.";

    public const string Forms = "$.input[.member...], $.activities.<id>.output[.member...] or $.activities.<id>.outcome";

    public static bool IsReference(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool TryParse(string path, [NotNullWhen(true)] out ReferenceInput? reference, [NotNullWhen(false)] out string? reason)
    {
        reference = null;
        var parts = path[Prefix.Length..].Split('.');
        var empty = Array.FindIndex(parts, p => p.Length == 0);
        if (empty >= 0)
        {
            reason = "it has an empty member (two dots in a row, or a dot at the end)";
            return false;
        }

        switch (parts[0])
        {
            case "input":
                return TryMembers(parts.AsSpan(1), out reason, members =>
                    new ReferenceInput(path, ReferenceRoot.Input, null, members), out reference);
            case "activities":
                return TryActivity(path, parts, out reference, out reason);
            default:
                reason = $"it starts with '{parts[0]}', not 'input' or 'activities'";
                return false;
        }
    }

    private static bool TryActivity(string path, string[] parts, out ReferenceInput? reference, out string? reason)
    {
        reference = null;
        if (parts.Length < 3)
        {
            reason = "it names no activity and part ('output' or 'outcome')";
            return false;
        }

        var activityId = parts[1];
        if (!ActivityIdPattern().IsMatch(activityId))
        {
            reason = $"'{activityId}' is not an activity id";
            return false;
        }

        switch (parts[2])
        {
            case "output":
                return TryMembers(parts.AsSpan(3), out reason, members =>
                    new ReferenceInput(path, ReferenceRoot.ActivityOutput, activityId, members), out reference);
            case "outcome" when parts.Length == 3:
                reason = null;
                reference = new ReferenceInput(path, ReferenceRoot.ActivityOutcome, activityId, []);
                return true;
            case "outcome":
                reason = "an outcome is a string: nothing may follow 'outcome'";
                return false;
            default:
                reason = $"'{parts[2]}' follows the activity id, where 'output' or 'outcome' belongs";
                return false;
        }
    }

    private static bool TryMembers(
        ReadOnlySpan<string> members,
        out string? reason,
        Func<IReadOnlyList<string>, ReferenceInput> build,
        out ReferenceInput? reference)
    {
        foreach (var member in members)
        {
            if (!MemberPattern().IsMatch(member))
            {
                reason = $"'{member}' is not a member name (letters, digits, '_' and '-', not starting with a digit or '-')";
                reference = null;
                return false;
            }
        }

        reason = null;
        reference = build(members.ToArray());
        return true;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ActivityIdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPattern();
}
