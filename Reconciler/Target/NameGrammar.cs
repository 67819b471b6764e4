using System.Text.RegularExpressions;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// The grammar of the target's names that become folder names or Docker object names: app
/// uuids, commits, service, volume and network names. It is Docker's container and volume name
/// grammar, <c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>, at most 255 characters, as balena checks service,
/// volume and network names. balena lets any short string be an app uuid or a commit; here they
/// must fit too, because the uuid names the app's lock folder (mounted into its containers) and
/// both are parts of container names. A name that fits is one folder name and never <c>.</c> or
/// <c>..</c>: it cannot lead out of the folder it is joined to.
/// </summary>
public static partial class NameGrammar
{
    public const int MaxLength = 255;

    /// <summary>The rule in words, for messages.</summary>
    public const string Rule =
        "a name starts with a letter or digit, holds only letters, digits, '_', '.' and '-', and is at most 255 characters";

    /// <summary>Why <paramref name="name"/> is not a valid name, or null when it is.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return $"the name is empty; {Rule}";
        }

        if (name.Length > MaxLength)
        {
            return $"the name is {name.Length} characters long; {Rule}";
        }

        return Valid().IsMatch(name) ? null : $"\"{name}\" is not a valid name; {Rule}";
    }

    public static bool IsValid(string name) => Problem(name) is null;

    // \z rather than $: $ also matches before a final newline, which would let "main\n" through.
    [GeneratedRegex(@"\A[a-zA-Z0-9][a-zA-Z0-9_.-]*\z")]
    private static partial Regex Valid();
}
