using System.Globalization;

namespace Poe.Simulator.RateLimiting;

/// <summary>The x-ratelimit-* headers Poe sends on every response.</summary>
public static class RateLimitHeaders
{
    public const string Limit = "x-ratelimit-limit-requests";
    public const string Remaining = "x-ratelimit-remaining-requests";
    public const string Reset = "x-ratelimit-reset-requests";

    public static void Apply(HttpResponse response, RateLimitState state)
    {
        response.Headers[Limit] = state.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[Remaining] = state.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[Reset] = FormatDuration(state.ResetAfter);
    }

    public static void Remove(HttpResponse response)
    {
        response.Headers.Remove(Limit);
        response.Headers.Remove(Remaining);
        response.Headers.Remove(Reset);
    }

    /// <summary>
    /// Formats like OpenAI's reset headers (Go's duration format), rounded up to whole milliseconds
    /// so a client never comes back early: <c>0s</c>, <c>250ms</c>, <c>1s</c>, <c>12.5s</c>, <c>1m0s</c>.
    /// </summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var ms = (long)Math.Ceiling(duration.TotalMilliseconds);
        if (ms <= 0)
            return "0s";
        if (ms < 1000)
            return $"{ms}ms";
        var minutes = ms / 60_000;
        var seconds = (ms % 60_000 / 1000m).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? $"{minutes}m{seconds}" : seconds;
    }
}
