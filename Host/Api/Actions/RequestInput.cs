using System.Text.Json;

namespace Supervisor.Host.Api.Actions;

/// <summary>Reads a run's input from a request body: a JSON object, or nothing at all (an empty input).</summary>
public static class RequestInput
{
    private const int MaxBytes = 1024 * 1024;

    public static async Task<(JsonElement Input, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > MaxBytes)
        {
            return (default, $"The body is larger than {MaxBytes / 1024} KiB.");
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (Empty(), null);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, $"The body must be a JSON object (the run's input), not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
        }
        catch (JsonException ex)
        {
            return (default, $"The body is not valid JSON: {ex.Message}");
        }
    }

    public static JsonElement Empty() => JsonSerializer.SerializeToElement(new { });
}
