using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Supervisor.Activities.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IDockerEngine"/>, configured from the <c>Supervisor</c> section.</summary>
    public static IServiceCollection AddDockerEngine(this IServiceCollection services, IConfiguration supervisorSection)
    {
        services.AddOptions<DockerEngineOptions>().Bind(supervisorSection);
        services.AddSingleton<DockerEngine>();
        services.AddSingleton<IDockerEngine>(sp => sp.GetRequiredService<DockerEngine>());
        return services;
    }
}
