using System.Globalization;
using System.Text;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// Definitions that cannot be used. It carries every error of every file, so that an operator
/// fixes them in one pass rather than one restart per mistake.
/// </summary>
public sealed class DefinitionValidationException : Exception
{
    public DefinitionValidationException(IReadOnlyList<DefinitionError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public DefinitionValidationException()
        : this([])
    {
    }

    public DefinitionValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public DefinitionValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<DefinitionError> Errors { get; }

    private static string Describe(IReadOnlyList<DefinitionError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var files = errors.Select(e => e.Source).Distinct(StringComparer.Ordinal).Count();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Counted(errors.Count, "error")} in {Counted(files, "workflow definition file")}:");
        foreach (var error in errors)
        {
            text.Append('\n').Append(error);
        }

        return text.ToString();
    }

    private static string Counted(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
