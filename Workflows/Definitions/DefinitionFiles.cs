namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Which files of the workflows folder are definitions, for the loader and the folder's watcher
/// alike: <c>*.json</c> files directly in the folder, except dot-files, which editors make beside
/// the file being edited (Emacs's lock link <c>.#x.json</c>, often dangling; Vim's swap
/// <c>.x.json.swp</c>). Back-ups such as <c>x.json~</c> and auto-saves such as <c>#x.json#</c> do
/// not end in <c>.json</c>. A definition that cannot be read because it is gone (a dangling
/// link, a file removed between listing and reading) is no definition, not an error.
/// </summary>
public static class DefinitionFiles
{
    /// <summary>Whether a file of this name is a definition (the name alone: whether it can be read is <see cref="Read"/>'s).</summary>
    public static bool IsDefinitionName(string? fileName) =>
        !string.IsNullOrEmpty(fileName)
        && !fileName.StartsWith('.')
        && string.Equals(Path.GetExtension(fileName), ".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The definitions in <paramref name="directory"/> with their text, in ordinal file-name order.</summary>
    /// <exception cref="DefinitionValidationException">A definition exists but cannot be read (its permissions, say).</exception>
    public static IReadOnlyList<(string Path, string Content)> Read(string directory)
    {
        var read = new List<(string Path, string Content)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
            .Where(p => IsDefinitionName(Path.GetFileName(p)))
            .Order(StringComparer.Ordinal))
        {
            try
            {
                read.Add((path, File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Gone, or a link to nothing: there is no definition to load.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DefinitionValidationException([new DefinitionError(path, JsonLocation.Root, $"the file cannot be read: {ex.Message}")]);
            }
        }

        return read;
    }
}
