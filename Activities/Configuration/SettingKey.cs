using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Supervisor.Activities.Configuration;

/// <summary>
/// The configuration key of the setting a validation attribute checks, e.g.
/// <c>Supervisor:Reconciler:Interval</c>, so that a refused value names what the operator writes,
/// not a C# property. It is the options class's <c>Section</c> constant and the property's name.
/// </summary>
internal static class SettingKey
{
    public static string Of(ValidationContext context)
    {
        var member = context.MemberName ?? context.DisplayName;
        var section = context.ObjectType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        return section is null ? member : $"{section}:{member}";
    }
}
