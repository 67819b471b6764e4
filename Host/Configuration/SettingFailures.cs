using Microsoft.Extensions.Options;

namespace Supervisor.Host.Configuration;

/// <summary>
/// What the host prints when its settings are refused at start: every refused value, each naming
/// its key, the value and the rule (see <c>SettingRangeAttribute</c>), on one line; or the
/// binder's own sentence for a value that is not of its type at all.
/// </summary>
public static class SettingFailures
{
    /// <summary>The configuration binder throws from here when a value does not read as its type at all.</summary>
    private const string BinderAssembly = "Microsoft.Extensions.Configuration.Binder";

    /// <summary>The line, or null when <paramref name="exception"/> is not a refusal of settings.</summary>
    /// <remarks>One options class refused throws its exception; several throw them together in an <see cref="AggregateException"/>.</remarks>
    public static string? Explain(Exception exception) => exception switch
    {
        OptionsValidationException refused => string.Join("; ", refused.Failures),
        AggregateException { InnerExceptions.Count: > 0 } all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            string.Join("; ", all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)),
        // "Failed to convert configuration value 'soon' at 'Supervisor:Reconciler:Interval' to type 'System.TimeSpan'."
        InvalidOperationException { Source: BinderAssembly } unreadable => unreadable.Message,
        _ => null,
    };
}
