using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Host.Api.Actions;

namespace Supervisor.Host.Api.V3;

/// <summary><c>GET /v3/images</c>: the recorded images with what the engine holds of each.</summary>
public static class ImageEndpoints
{
    public static RouteGroupBuilder MapImageApi(this RouteGroupBuilder v3)
    {
        ArgumentNullException.ThrowIfNull(v3);
        v3.MapGet("/images", ListAsync);
        return v3;
    }

    private static async Task<IResult> ListAsync(ImageStore store, IDockerEngine engine, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<EngineImage> images;
        try
        {
            images = await engine.ListImagesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            return RunAnswers.Failed(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }

        var index = new EngineImageIndex(images);
        return Results.Ok(records.Select(record =>
        {
            var reference = record.Reference;
            var image = index.Find(reference);
            return new
            {
                record.Name,
                record.AppUuid,
                record.ServiceName,
                record.Commit,
                record.DockerImageId,
                record.RecordedAt,
                present = image is not null,
                tagged = reference.TagName is { } tag ? image?.RepoTags.Contains(tag) == true : (bool?)null,
                size = image?.Size,
            };
        }));
    }
}
