using System.ComponentModel.DataAnnotations;

namespace Supervisor.Activities.Configuration;

/// <summary>
/// A text setting that has no meaning when empty (a folder, a name on the engine). The refusal
/// names the key, in the same one-sentence form as <see cref="SettingRangeAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SettingRequiredAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is string text && !string.IsNullOrWhiteSpace(text)
            ? ValidationResult.Success
            : new ValidationResult($"{SettingKey.Of(validationContext)} is empty, but it must be set");
    }
}
