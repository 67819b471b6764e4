using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Configuration;

namespace Supervisor.Activities.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IDockerEngine"/>, configured from the <c>Supervisor</c> section.</summary>
    public static IServiceCollection AddDockerEngine(this IServiceCollection services, IConfiguration supervisorSection)
    {
        services.AddValidatedOptions<DockerEngineOptions, DockerEngineOptionsValidator>(supervisorSection);
        services.AddSingleton<DockerEngine>();
        services.AddSingleton<IDockerEngine>(sp => sp.GetRequiredService<DockerEngine>());
        return services;
    }
}
