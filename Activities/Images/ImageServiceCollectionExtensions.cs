using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Configuration;
using Supervisor.Workflows.Activities;

namespace Supervisor.Activities.Images;

public static class ImageServiceCollectionExtensions
{
    /// <summary>The image store, its migration, and the image activities.</summary>
    public static IServiceCollection AddImageActivities(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ImageOptions, ImageOptionsValidator>(configuration.GetSection(ImageOptions.Section));
        services.AddSingleton(ImageMigrations.Initial);
        services.AddSingleton<ImageStore>();
        services.AddSingleton<ImageFetchBackoff>();
        services.AddWorkflowActivity<FetchImage>();
        services.AddWorkflowActivity<TagImage>();
        services.AddWorkflowActivity<PersistImage>();
        services.AddWorkflowActivity<RemoveImageTags>();
        services.AddWorkflowActivity<DeleteImageRecord>();
        services.AddWorkflowActivity<CheckupImages>();
        return services;
    }
}
