using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Timing;
using Supervisor.Reconciler.Target;

namespace Supervisor.Reconciler.Cloud;

/// <summary>
/// Polls the cloud for the device's target (<c>GET {api}/device/v3/{uuid}/state</c>, with the
/// device key and the last ETag), and stores a new, valid target. A document with any error is
/// refused whole: the accepted target stays. <see cref="NextDelay"/> says when to poll again:
/// the interval plus jitter while all is well, a doubling backoff after failures.
/// </summary>
public sealed partial class CloudTargetStateSource(
    IHttpClientFactory clients,
    TargetStateStore store,
    IOptions<CloudOptions> options,
    ILogger<CloudTargetStateSource> logger)
{
    /// <summary>The named client whose resilience pipeline bounds each poll.</summary>
    public const string HttpClientName = "cloud-target-state";

    private string? _etag;

    /// <summary>Failed or rejected polls in a row; reset by a good one.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Raised after a new target was stored.</summary>
    public event EventHandler<TargetState>? TargetAccepted;

    public async Task<PollResult> PollOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{settings.BaseUrl!.TrimEnd('/')}/device/v3/{Uri.EscapeDataString(settings.DeviceUuid ?? string.Empty)}/state"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.DeviceKey);
        if (_etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", _etag);
        }

        string body;
        try
        {
            // A client per poll, so that the factory can rotate handlers (and DNS) between polls.
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                ConsecutiveFailures = 0;
                return PollResult.Unchanged;
            }

            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogPollFailed(logger, request.RequestUri!, $"HTTP {(int)response.StatusCode}: {Shorten(body)}");
                ConsecutiveFailures++;
                return PollResult.Failed;
            }

            var parsed = TargetStateParser.Parse(body);
            if (parsed.State is not { } state)
            {
                LogRejected(logger, request.RequestUri!, parsed.ToString());
                ConsecutiveFailures++;
                return PollResult.Rejected;
            }

            var stored = await store.GetAsync(cancellationToken).ConfigureAwait(false);
            _etag = response.Headers.ETag?.ToString();
            ConsecutiveFailures = 0;
            if (stored is not null && stored.State.Json == state.Json)
            {
                return PollResult.Unchanged;
            }

            await store.SaveAsync(state, "cloud", cancellationToken).ConfigureAwait(false);
            LogAccepted(logger, state.Apps.Count);
            TargetAccepted?.Invoke(this, state);
            return PollResult.Accepted;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            LogPollFailed(logger, request.RequestUri!, ex.Message);
            ConsecutiveFailures++;
            return PollResult.Failed;
        }
    }

    /// <summary>
    /// When to poll next: after failures, <c>min(PollInterval, ErrorBackoff × 2^(failures-1))</c>;
    /// otherwise the interval plus a random jitter up to <c>MaxJitter</c>.
    /// </summary>
    public TimeSpan NextDelay(double random)
    {
        var settings = options.Value;
        if (ConsecutiveFailures > 0)
        {
            return new ExponentialBackoff(settings.ErrorBackoff, settings.PollInterval).Delay(ConsecutiveFailures);
        }

        return settings.PollInterval + settings.MaxJitter * random;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the target state at {Url} failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused the target state from {Url}; the accepted one stays. {Errors}")]
    private static partial void LogRejected(ILogger logger, Uri url, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted a new target state from the cloud ({Apps} apps)")]
    private static partial void LogAccepted(ILogger logger, int apps);
}
