using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Features;
using Supervisor.Activities.Timing;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Reporting;

namespace Supervisor.Reconciler.Cloud;

/// <summary>
/// Reports the device's current state to the cloud: <c>PATCH {BaseUrl}/device/v3/state</c> with
/// the device key, sending only what changed since the last report the cloud accepted, at most
/// once every <see cref="CloudOptions.ReportInterval"/>. It wakes when the reconciler's status
/// changes, and every <see cref="CloudOptions.ReportCheckInterval"/> to catch changes behind the
/// supervisor's back. A refused or failed report is sent again (as a diff against the last
/// accepted one) after a doubling backoff from <see cref="CloudOptions.ErrorBackoff"/>.
/// </summary>
public sealed partial class CloudStateReporter(
    DeviceStateReader reader,
    ApplyStatus status,
    IHttpClientFactory clients,
    ISupervisorApiPort apiPort,
    IOptions<CloudOptions> options,
    TimeProvider time,
    ILogger<CloudStateReporter> logger) : BackgroundService
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            return;
        }

        void OnChanged(object? sender, EventArgs e) => Volatile.Read(ref _changed).TrySetResult();
        status.Changed += OnChanged;
        try
        {
            JsonObject? accepted = null;
            var failures = 0;
            var lastSent = DateTimeOffset.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = failures > 0 ? Backoff(settings, failures) : settings.ReportInterval;
                var due = lastSent + wait - time.GetUtcNow();
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, stoppingToken).ConfigureAwait(false);
                }

                var changed = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                var report = await BuildAsync(settings, stoppingToken).ConfigureAwait(false);
                var diff = report is null ? null : CloudStateReport.Diff(accepted, report);
                if (diff is not null)
                {
                    var sent = await SendAsync(settings, diff, stoppingToken).ConfigureAwait(false);

                    // Counted from the answer, so that reports never reach the cloud closer
                    // together than the interval, however long one took.
                    lastSent = time.GetUtcNow();
                    (accepted, failures) = sent ? (report, 0) : (accepted, failures + 1);

                    continue;
                }

                // Nothing new: wait for a change, or look again after the check interval.
                try
                {
                    await changed.Task.WaitAsync(settings.ReportCheckInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Look anyway.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            status.Changed -= OnChanged;
        }
    }

    private async Task<JsonObject?> BuildAsync(CloudOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            var (_, view) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return CloudStateReport.Build(settings.DeviceUuid ?? string.Empty, view, SupervisorVersion.BalenaApiLevel, apiPort.Current);
        }
        catch (EngineException ex)
        {
            // The report would say nothing true about the containers; the next wake-up tries again.
            LogEngineUnreadable(logger, ex.Message);
            return null;
        }
    }

    private async Task<bool> SendAsync(CloudOptions settings, JsonObject diff, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{settings.BaseUrl!.TrimEnd('/')}/device/v3/state");
        using var request = new HttpRequestMessage(HttpMethod.Patch, uri)
        {
            Content = new StringContent(diff.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.DeviceKey);
        try
        {
            using var response = await clients.CreateClient(CloudTargetStateSource.HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogReportRefused(logger, uri, (int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            LogReportFailed(logger, uri, ex.Message);
            return false;
        }
    }

    private static TimeSpan Backoff(CloudOptions settings, int failures)
    {
        var longest = settings.PollInterval > settings.ReportInterval ? settings.PollInterval : settings.ReportInterval;
        return new ExponentialBackoff(settings.ErrorBackoff, longest).Delay(failures);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The current-state report was not built: the engine could not be read ({Reason}).")]
    private static partial void LogEngineUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cloud refused the current-state report at {Uri}: HTTP {Status}; it is sent again after a backoff.")]
    private static partial void LogReportRefused(ILogger logger, Uri uri, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The current-state report to {Uri} failed: {Reason}; it is sent again after a backoff.")]
    private static partial void LogReportFailed(ILogger logger, Uri uri, string reason);
}
