using System.Text.Json;

namespace Supervisor.Workflows.Runs;

/// <summary>
/// What a run acted on, for its log lines: the app, service and image its input names (the members <c>appUuid</c>,
/// <c>serviceName</c> and <c>image</c>, where the definitions put them), so that an operator reading the log need not
/// look the run up to know which service it touched.
/// </summary>
public static class RunSubject
{
    private static readonly (string Member, string Label)[] Named = [("appUuid", "app"), ("serviceName", "service"), ("image", "image")];

    /// <returns><c>" (app 7001, service main, image repo:tag)"</c>, or empty when the input names none of them.</returns>
    public static string Of(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        var parts = Named
            .Where(n => input.TryGetProperty(n.Member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 })
            .Select(n => $"{n.Label} {input.GetProperty(n.Member).GetString()}")
            .ToList();
        return parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})";
    }
}
