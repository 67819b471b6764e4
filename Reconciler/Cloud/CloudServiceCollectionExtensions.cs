using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Supervisor.Activities.Configuration;

namespace Supervisor.Reconciler.Cloud;

public static class CloudServiceCollectionExtensions
{
    /// <summary>
    /// The cloud target source: an HTTP client from <c>IHttpClientFactory</c> whose resilience
    /// pipeline bounds each request; the poll loop itself decides when to try again.
    /// </summary>
    public static IServiceCollection AddCloudTargetSource(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CloudOptions, CloudOptionsValidator>(configuration.GetSection(CloudOptions.Section));
        services.AddHttpClient(CloudTargetStateSource.HttpClientName)
            .AddResilienceHandler(CloudTargetStateSource.HttpClientName, (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<CloudOptions>>().Value.RequestTimeout));
        services.AddSingleton<CloudTargetStateSource>();
        services.AddHostedService<CloudTargetStatePoller>();
        return services;
    }

    /// <summary>
    /// The report of the device's state to the cloud (<see cref="CloudStateReporter"/>); it reads
    /// the server's address for the port it reports, so only the program with its HTTP API adds it.
    /// </summary>
    public static IServiceCollection AddCloudStateReport(this IServiceCollection services)
    {
        services.AddHostedService<CloudStateReporter>();
        return services;
    }
}
