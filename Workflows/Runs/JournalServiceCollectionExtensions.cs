using Microsoft.Extensions.DependencyInjection;

namespace Supervisor.Workflows.Runs;

public static class JournalServiceCollectionExtensions
{
    /// <summary>Registers every migration of the journal's schema for <see cref="Storage.DatabaseMigrator"/>.</summary>
    public static IServiceCollection AddJournalMigrations(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var migration in JournalMigrations.All)
        {
            services.AddSingleton(migration);
        }

        return services;
    }
}
