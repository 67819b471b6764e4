using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Supervisor.Activities.Configuration;

/// <summary>
/// A whole number or a <see cref="TimeSpan"/> setting must lie from <see cref="Minimum"/> to
/// <see cref="Maximum"/>, both included. The refusal names the key, the value and the range in
/// one sentence, which the host prints as its one line when it refuses to start.
/// </summary>
/// <remarks>
/// <see cref="RangeAttribute"/> would do the comparison, but its message names the C# property
/// and not the value; the source-generated validators call this attribute as they would it.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SettingRangeAttribute : ValidationAttribute
{
    /// <summary>A whole-number range, e.g. worker counts.</summary>
    public SettingRangeAttribute(int minimum, int maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>A <see cref="TimeSpan"/> range, each bound written as in configuration (<c>d.hh:mm:ss.fff</c>).</summary>
    public SettingRangeAttribute(string minimum, string maximum)
    {
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
    }

    public IComparable Minimum { get; }

    public IComparable Maximum { get; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is IComparable comparable && comparable.GetType() == Minimum.GetType()
            && comparable.CompareTo(Minimum) >= 0 && comparable.CompareTo(Maximum) <= 0)
        {
            return ValidationResult.Success;
        }

        // No member names: the message is already whole, and the options' failure list keeps it as it is.
        return new ValidationResult($"{SettingKey.Of(validationContext)} is {Show(value)}, but it must be from {Show(Minimum)} to {Show(Maximum)}");
    }

    private static string Show(object? value) => value switch
    {
        null => "empty",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
