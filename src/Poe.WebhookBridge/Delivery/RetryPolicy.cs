using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Delivery;

/// <summary>When a failed event is tried again: <c>Webhooks:RetrySchedule</c> with ±20 % jitter, then never (dead).</summary>
public sealed class RetryPolicy(IOptions<WebhooksOptions> options)
{
    private const double Jitter = 0.2;

    /// <summary>The delay before the next attempt after <paramref name="attemptNumber"/> (1-based) failed, or null when the event is dead.</summary>
    public TimeSpan? DelayAfter(int attemptNumber, TimeSpan? retryAfter)
    {
        var schedule = options.Value.RetrySchedule;
        if (attemptNumber < 1 || attemptNumber > schedule.Count)
        {
            return null;
        }

        var scheduled = schedule[attemptNumber - 1];
        var jittered = scheduled * (1 + ((Random.Shared.NextDouble() * 2) - 1) * Jitter);

        // svix's rule: a consumer may slow us down with Retry-After, but only up to twice the schedule.
        return retryAfter is { } asked ? Clamp(asked, jittered, scheduled * 2) : jittered;
    }

    /// <summary>Retry-After of a 429 or 503, as delta-seconds or an HTTP date; other answers' hints are ignored.</summary>
    public static TimeSpan? RetryAfterOf(int statusCode, RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (statusCode is not (429 or 503) || header is null)
        {
            return null;
        }

        return header.Delta ?? (header.Date is { } date ? date - now : null);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
