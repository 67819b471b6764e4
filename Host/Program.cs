using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;
using Supervisor.Host;
using Supervisor.Host.Api;
using Supervisor.Host.Api.Actions;
using Supervisor.Host.Api.Local;
using Supervisor.Host.Api.Logs;
using Supervisor.Host.Api.V1;
using Supervisor.Host.Api.V2;
using Supervisor.Host.Api.V3;
using Supervisor.Host.Cli;
using Supervisor.Host.Configuration;
using Supervisor.Host.Health;
using Supervisor.Host.Logging;
using Supervisor.Host.Security;
using Supervisor.Host.StepEngine;
using Supervisor.Host.Storage;
using Supervisor.Reconciler.Cloud;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Storage;

// Usage is answered from the command tree alone, before anything is built: no file, no port.
if (SupervisorCommandLine.IsUsageRequest(args))
{
    return await SupervisorCommandLine.UsageAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
}

// `supervisor workflows ...` and `supervisor runs ...` are tools; anything else runs the service.
// Configuration arguments (--Key:Sub=value, --urls=...) go to the configuration in both cases.
var isTool = args.Length > 0 && SupervisorCommandLine.Verbs.Contains(args[0]);
var configurationArgs = isTool ? args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray() : args;

// appsettings.json ships beside the program; a device starts it from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs, ContentRootPath = AppContext.BaseDirectory });

// A timestamp on every line, in the format asked for; a format that is not one stops the start in one line.
var (logFormat, logFormatError) = SupervisorLoggingExtensions.ReadFormat(builder.Configuration);
if (logFormatError is not null)
{
    await Console.Error.WriteLineAsync($"Supervisor did not start: {logFormatError}").ConfigureAwait(false);
    return 1;
}

builder.Logging.AddSupervisorConsole(logFormat);

// balena's device API port, unless --urls or ASPNETCORE_URLS says otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://0.0.0.0:48484");
}

var supervisor = builder.Configuration.GetSection("Supervisor");
builder.Services.AddSupervisorCore(builder.Configuration);

if (!supervisor.GetValue<bool>("LocalMode"))
{
    // In local mode targets come only from POST /v2/local/target-state.
    builder.Services.AddCloudTargetSource(builder.Configuration);
    builder.Services.AddCloudStateReport();
}
builder.Services.AddSingleton<ApiKeyStore>();
builder.Services.AddSingleton(DeviceTagMigrations.Initial);
builder.Services.AddSingleton<DeviceTagStore>();
builder.Services.AddSingleton<ServiceLogFollower>();
builder.Services.AddSingleton<ServiceLogHistory>();
builder.Services.AddSingleton<RunLauncher>();
builder.Services.AddSingleton<ActionTurns>();
builder.Services.AddSingleton<ActionLauncher>();
builder.Services.AddSingleton<LegacyAppResolver>();
builder.Services.AddSingleton<HttpTriggerRouter>();
builder.Services.AddOpenApi();
builder.Services.AddSingleton<DatabaseHealthCheck>();
builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine").AddCheck<ApplyLoopHealthCheck>("apply-loop").AddCheck<DatabaseHealthCheck>("database");
builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
try
{
    if (isTool)
    {
        var verbArgs = args.Where(a => !configurationArgs.Contains(a)).ToList();
        return await SupervisorCommandLine.RunAsync(verbArgs, app.Services, Console.Out, Console.Error).ConfigureAwait(false);
    }

    // Every setting is checked before anything uses it (ValidateOnStart would only check them once
    // the host starts, after the databases are opened, and with a stack trace in the log).
    app.Services.GetService<IStartupValidator>()?.Validate();

    // Before anything opens supervisor.db: a damaged file is moved aside (or refused), one that is
    // not a database stops the host with one line rather than a stack trace from a hosted service.
    await app.Services.GetRequiredService<DatabaseIntegrityCheck>()
        .CheckAtStartupAsync(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MoveDamagedAside).ConfigureAwait(false);
    await DatabaseIntegrityCheck.CheckJobStorageAtStartupAsync(
        DatabaseFailures.HangfirePath(app.Services.GetRequiredService<IOptions<SupervisorOptions>>().Value.DataDir)).ConfigureAwait(false);

    // Any request that fails on a database answers 503 naming it (DatabaseUnavailableHandler); anything else a 500 with the error shape.
    app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = DatabaseUnavailableHandler.AnswerUnexpectedAsync });

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

    app.MapGroup("/v3").AddEndpointFilter<ApiKeyEndpointFilter>().AddEndpointFilter<DeviceKeyEndpointFilter>().MapWorkflowApi().MapImageApi().MapPlanApi();
    app.MapGroup("/v2").AddEndpointFilter<ApiKeyEndpointFilter>().MapLocalTargetState().MapDeviceTags().MapLocalLogs().MapJournalLogs();
    app.MapGroup("/v1").AddEndpointFilter<ApiKeyEndpointFilter>().MapV1Actions().MapApiKeyRegeneration();
    app.MapGroup("/v2").AddEndpointFilter<ApiKeyEndpointFilter>().MapV2Actions();
    app.MapGroup(string.Empty).AddEndpointFilter<ApiKeyEndpointFilter>().MapHostOsEndpoints().MapDeviceIdentity();
    app.MapDeviceApi("/v2").MapApplicationStateApi();
    app.MapDeviceApi("/v2").MapSupervisorInfoApi();
    app.MapDeviceApi("/v2").MapVolumeCleanupApi();
    app.MapDeviceApi("/v1").MapLegacyDeviceApi();

    // The API's description, without a key: it documents balena's public contract and holds no device data.
    app.MapOpenApi();
    app.MapWorkflowTriggers().AddEndpointFilter<ApiKeyEndpointFilter>().AddEndpointFilter<DeviceKeyEndpointFilter>();
    app.UseHangfireDashboard("/hangfire", new DashboardOptions
    {
        Authorization = [new DashboardApiKeyFilter(app.Services.GetRequiredService<ApiKeyStore>())],
        AppPath = null,
        DisplayStorageConnectionString = false,
    }, app.Services.GetRequiredService<JobStorage>());

    var engine = app.Services.GetRequiredService<DockerEngine>();
    app.Lifetime.ApplicationStarted.Register(() => HostLog.Started(app.Logger, engine.Endpoint));
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception ex) when (SettingFailures.Explain(ex) is { } message)
{
    // A setting the code cannot work with (an interval of zero): its key, its value and the rule, on one line.
    await Console.Error.WriteLineAsync($"Supervisor did not start: {message}").ConfigureAwait(false);
    return 1;
}
catch (DefinitionValidationException ex)
{
    // The host refuses to run half a set of definitions: say which file, where and why.
    await Console.Error.WriteLineAsync($"Supervisor did not start: {ex.Message}").ConfigureAwait(false);
    return 1;
}
catch (Exception ex) when (app.Services.GetRequiredService<DatabaseFailures>().Explain(ex) is { } message)
{
    // A database it cannot use: which file, what is wrong and what to do, on one line, without a stack trace.
    await Console.Error.WriteLineAsync($"Supervisor did not start: {message}").ConfigureAwait(false);
    return 1;
}

/// <summary>The program, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
