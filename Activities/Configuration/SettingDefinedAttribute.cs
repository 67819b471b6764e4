using System.ComponentModel.DataAnnotations;

namespace Supervisor.Activities.Configuration;

/// <summary>
/// An enum setting must be one of its named values. The binder reads a number too
/// (<c>Supervisor:JournalFlush=7</c>), which names no member and would otherwise reach the code
/// as a value nothing handles. The refusal names the key, the value and the names allowed.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SettingDefinedAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is Enum member && Enum.IsDefined(member.GetType(), member))
        {
            return ValidationResult.Success;
        }

        var names = value is Enum any ? string.Join(", ", Enum.GetNames(any.GetType())) : "a named value";
        return new ValidationResult($"{SettingKey.Of(validationContext)} is {value ?? "empty"}, but it must be one of {names}");
    }
}
