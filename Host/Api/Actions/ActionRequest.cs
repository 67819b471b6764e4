using System.Globalization;
using System.Text.Json;

namespace Supervisor.Host.Api.Actions;

/// <summary>
/// The body of a v1/v2 action, as balena reads it: a JSON object or a form, where <c>appId</c> and
/// <c>imageId</c> may be numbers or numeric strings and <c>force</c> is any of balena's truthy
/// values (<c>true</c>, <c>"true"</c>, <c>1</c>, <c>"1"</c>, <c>"on"</c>).
/// </summary>
public sealed record ActionRequest(long? AppId, bool Force, string? ServiceName, long? ImageId)
{
    public static async Task<(ActionRequest? Request, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            return From(name => form.TryGetValue(name, out var value) ? JsonSerializer.SerializeToElement(value.ToString()) : null);
        }

        var (body, error) = await RequestInput.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        return error is not null
            ? (null, error)
            : From(name => body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null);
    }

    /// <summary>For the endpoints with the app's numeric id in the path: that id and the body, or the 400 to answer.</summary>
    public static async Task<(long AppId, ActionRequest? Request, IResult? Invalid)> ReadForAppAsync(string appIdText, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!long.TryParse(appIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var appId))
        {
            return (0, null, RunAnswers.Failed(StatusCodes.Status400BadRequest, $"Invalid app id \"{appIdText}\": it must be the app's numeric id."));
        }

        var (body, error) = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return body is null ? (appId, null, RunAnswers.Failed(StatusCodes.Status400BadRequest, error!)) : (appId, body, null);
    }

    private static (ActionRequest?, string?) From(Func<string, JsonElement?> member)
    {
        if (!TryNumber(member("appId"), out var appId))
        {
            return (null, "appId must be a whole number (the app's numeric id).");
        }

        if (!TryNumber(member("imageId"), out var imageId))
        {
            return (null, "imageId must be a whole number (the service's numeric image id).");
        }

        string? serviceName = null;
        if (member("serviceName") is { } name)
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                return (null, "serviceName must be a string.");
            }

            serviceName = name.GetString();
        }

        return (new ActionRequest(appId, IsTruthy(member("force")), string.IsNullOrEmpty(serviceName) ? null : serviceName, imageId), null);
    }

    private static bool TryNumber(JsonElement? value, out long? number)
    {
        number = null;
        switch (value)
        {
            case null:
                return true;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var parsed):
                number = parsed;
                return true;
            case { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                number = parsed;
                return true;
            case { ValueKind: JsonValueKind.String } s when string.IsNullOrEmpty(s.GetString()):
                return true;
            default:
                return false;
        }
    }

    private static bool IsTruthy(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt64(out var one) && one == 1,
        { ValueKind: JsonValueKind.String } s => s.GetString() is "true" or "1" or "on",
        _ => false,
    };
}
