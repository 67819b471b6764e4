using System.Diagnostics.CodeAnalysis;

namespace Supervisor.Workflows.Definitions;

/// <summary>What parsing one file gave: the definition, or every error in it.</summary>
public sealed class DefinitionParseResult
{
    private DefinitionParseResult(WorkflowDefinition? definition, IReadOnlyList<DefinitionError> errors)
    {
        Definition = definition;
        Errors = errors;
    }

    /// <summary>The definition; null exactly when <see cref="Errors"/> is not empty.</summary>
    public WorkflowDefinition? Definition { get; }

    public IReadOnlyList<DefinitionError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Definition))]
    public bool IsValid => Definition is not null;

    public static DefinitionParseResult Valid(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new(definition, []);
    }

    public static DefinitionParseResult Invalid(IReadOnlyList<DefinitionError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("An invalid definition has at least one error.", nameof(errors));
        }

        return new(null, errors);
    }
}
