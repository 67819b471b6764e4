using System.Diagnostics.CodeAnalysis;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Either an accepted <see cref="TargetState"/> or every reason it was refused. A document is accepted or refused
/// whole: applying part of a target would leave the device in a state nobody asked for.
/// </summary>
public sealed class TargetStateParseResult
{
    private TargetStateParseResult(TargetState? state, IReadOnlyList<TargetStateError> errors)
    {
        State = state;
        Errors = errors;
    }

    /// <summary>The accepted target; <see langword="null"/> when there are errors.</summary>
    public TargetState? State { get; }

    /// <summary>Every problem found, in document order; empty when the document was accepted.</summary>
    public IReadOnlyList<TargetStateError> Errors { get; }

    [MemberNotNullWhen(true, nameof(State))]
    public bool IsValid => State is not null;

    public static TargetStateParseResult Accepted(TargetState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state, []);
    }

    public static TargetStateParseResult Refused(IReadOnlyList<TargetStateError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A refused target state needs at least one error.", nameof(errors));
        }

        return new(null, errors);
    }

    /// <summary>The errors, one per line, for logs and API responses.</summary>
    public override string ToString() =>
        IsValid ? $"target state for device {State.DeviceUuid}" : string.Join(Environment.NewLine, Errors);
}
