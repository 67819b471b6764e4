using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Timing;

namespace Supervisor.Activities.Images;

/// <summary>
/// Holds back fetches of an image that keeps failing: after n failures the next try waits
/// <c>min(2^n × increment, cap)</c> from the last failure. Kept in memory, as balena does: a
/// restart (often the cure) tries at once.
/// </summary>
public sealed class ImageFetchBackoff(TimeProvider time, IOptions<ImageOptions> options)
{
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset LastFailure, string Cause)> _failures = new(StringComparer.Ordinal);

    /// <summary>When the image may be fetched again, or null when it may be fetched now.</summary>
    public DateTimeOffset? HeldUntil(string image)
    {
        if (!_failures.TryGetValue(image, out var state))
        {
            return null;
        }

        var until = state.LastFailure + Delay(state.Failures);
        return until > time.GetUtcNow() ? until : null;
    }

    public int Failures(string image) => _failures.TryGetValue(image, out var state) ? state.Failures : 0;

    /// <summary>Why the last fetch of the image failed, or null when none has since it last succeeded.</summary>
    /// <remarks>A fetch held back answers with it, so that the device's state keeps saying why, not only that it failed.</remarks>
    public string? LastCause(string image) => _failures.TryGetValue(image, out var state) ? state.Cause : null;

    public void RecordFailure(string image, string cause) =>
        _failures.AddOrUpdate(image, _ => (1, time.GetUtcNow(), cause), (_, state) => (state.Failures + 1, time.GetUtcNow(), cause));

    public void Clear(string image) => _failures.TryRemove(image, out _);

    /// <summary>
    /// balena's numbers: the first failure already doubles the increment (1 s with the default
    /// 500 ms), so the doubling starts from twice it.
    /// </summary>
    private TimeSpan Delay(int failures)
    {
        var settings = options.Value;
        return new ExponentialBackoff(settings.FetchBackoffIncrement * 2, settings.FetchBackoffCap).Delay(failures);
    }
}
