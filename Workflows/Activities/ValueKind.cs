namespace Supervisor.Workflows.Activities;

/// <summary>The JSON kind of an activity input or output.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are JSON Schema's type names, which operators see in errors.")]
public enum ValueKind
{
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
}
