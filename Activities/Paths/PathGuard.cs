using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Paths;

/// <summary>
/// The one place where a path is built from names that come from outside (a target, a request, a
/// container's labels) under one of the supervisor's roots, such as the lock root. Each name must
/// be one folder name, so the result stays under the root; anything else is refused with
/// <see cref="RefusedInputException"/>, so a run given <c>../../etc</c> ends Failed <c>Invalid</c>
/// and touches nothing. The target's parser already refuses such names (<c>NameGrammar</c>); this
/// guard is for every other way a name arrives.
/// </summary>
public static class PathGuard
{
    /// <summary><paramref name="root"/> joined with <paramref name="names"/>, each one folder name.</summary>
    /// <exception cref="RefusedInputException">A name is empty, <c>.</c>, <c>..</c>, or holds a separator or NUL.</exception>
    public static string Combine(string root, params string[] names)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (!IsFolderName(name))
            {
                throw new RefusedInputException(
                    $"\"{name}\" cannot name a folder under {root}: a name must be one folder name, not empty, \".\" or \"..\", and without '/'.");
            }
        }

        // Folder names that are neither "." nor ".." and hold no separator cannot climb: the joined
        // path is under the root by construction.
        return Path.Combine([root, .. names]);
    }

    /// <summary>Whether <paramref name="name"/> is one folder name, which <see cref="Combine"/> accepts.</summary>
    public static bool IsFolderName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name is not "." and not ".."
        && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
