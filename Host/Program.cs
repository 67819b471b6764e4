using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Supervisor.Activities.Engine;
using Supervisor.Host;
using Supervisor.Host.Health;

// appsettings.json ships beside the program; a device starts it from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// balena's device API port, unless --urls or ASPNETCORE_URLS says otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://0.0.0.0:48484");
}

var supervisor = builder.Configuration.GetSection("Supervisor");
builder.Services.AddDockerEngine(supervisor);
builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine");

var app = builder.Build();

app.MapGet("/ping", () => Results.Text("OK"));

// balena's contract: 200 with an empty body, or 500 "Unhealthy"; no API key needed.
app.MapHealthChecks("/v1/healthy", new HealthCheckOptions
{
    ResultStatusCodes =
    {
        [HealthStatus.Healthy] = StatusCodes.Status200OK,
        [HealthStatus.Degraded] = StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = StatusCodes.Status500InternalServerError,
    },
    ResponseWriter = (context, report) =>
        report.Status == HealthStatus.Unhealthy ? context.Response.WriteAsync("Unhealthy") : Task.CompletedTask,
});

var engine = app.Services.GetRequiredService<DockerEngine>();
app.Lifetime.ApplicationStarted.Register(() => HostLog.Started(app.Logger, engine.Endpoint));

await app.RunAsync().ConfigureAwait(false);

/// <summary>The program, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
