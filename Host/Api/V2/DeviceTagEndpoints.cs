using System.Text.Json;
using Microsoft.Extensions.Options;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Storage;
using Supervisor.Reconciler.Cloud;

namespace Supervisor.Host.Api.V2;

/// <summary>
/// balena's <c>GET</c> and <c>PATCH /v2/device/tags</c>. balena keeps tags in its cloud; with no cloud configured
/// they are kept in the supervisor database, so that tools that tag a device work. With a cloud configured they
/// answer 501: the cloud's tags are not read or written yet, and answering the local ones would be wrong.
/// </summary>
public static class DeviceTagEndpoints
{
    public static RouteGroupBuilder MapDeviceTags(this RouteGroupBuilder v2)
    {
        ArgumentNullException.ThrowIfNull(v2);
        v2.MapGet("/device/tags", async (DeviceTagStore store, IOptions<CloudOptions> cloud, CancellationToken cancellationToken) =>
            cloud.Value.IsEnabled
                ? CloudTags()
                : Results.Json(new { status = "success", tags = await store.ListAsync(cancellationToken).ConfigureAwait(false) }))
        .WithName("GetDeviceTags")
        .WithSummary("The device's tags, [{id, name, value}], kept on the device when no cloud is configured")
        .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status501NotImplemented);

        v2.MapPatch("/device/tags", async (HttpRequest request, DeviceTagStore store, IOptions<CloudOptions> cloud, CancellationToken cancellationToken) =>
        {
            if (cloud.Value.IsEnabled)
            {
                return CloudTags();
            }

            var (tags, problem) = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
            if (tags is null)
            {
                return RunAnswers.Failed(StatusCodes.Status400BadRequest, problem!);
            }

            await store.SetAsync(tags, cancellationToken).ConfigureAwait(false);
            return Results.Json(new { status = "success" }, statusCode: StatusCodes.Status202Accepted);
        })
        .WithName("SetDeviceTags")
        .WithSummary("Set tags, {key: value}; a tag set again takes the new value")
        .Accepts<Dictionary<string, string>>("application/json")
        .Produces(StatusCodes.Status202Accepted).Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status501NotImplemented);
        return v2;
    }

    private const string Shape = "Invalid tags body, must be an object like `{[tagKey: string]: string}`";

    /// <summary>balena's checks and messages: an object of string values, keys without whitespace.</summary>
    private static async Task<(Dictionary<string, string>? Tags, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return (null, Shape);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, Shape);
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return (null, Shape);
            }

            if (property.Name.Any(char.IsWhiteSpace))
            {
                return (null, "Tag keys cannot contain whitespace");
            }

            tags[property.Name] = property.Value.GetString()!;
        }

        return (tags, null);
    }

    private static IResult CloudTags() =>
        RunAnswers.Failed(StatusCodes.Status501NotImplemented,
            "This device has a cloud (Supervisor:Cloud:BaseUrl), which keeps its tags; reading and setting them there is not supported yet. Tags are kept on the device only without a cloud.");
}
