using Poe.Simulator.Faults;
using Poe.Simulator.Requests;

namespace Poe.WebhookBridge.ReliabilityTests.PoeFaults;

/// <summary>
/// The pauses SPEC §3 lets Poe's 429s impose on a key, replayed from the simulator's log: a 429 pauses the key for
/// its Retry-After or reset, or without either for 1 s doubling (+20 % jitter at most) up to 60 s per 429 that comes
/// after the previous pause ended, back to 1 s after an answer. A 429 inside a running pause answers a request that was
/// already out when the pause began, so it adds only its own hint.
/// </summary>
public static class RateLimitPauses
{
    private const double MaxJitter = 1.2;
    private const double MaxBackoffSeconds = 60;

    /// <summary>How long, after <paramref name="fromMs"/>, the key was legitimately paused (the union of all pauses).</summary>
    /// <param name="faults">Each video's scripted faults, consumed one per poll in order.</param>
    public static TimeSpan After(long fromMs, IReadOnlyList<RequestLogEntry> log, IReadOnlyDictionary<string, Fault[]> faults)
    {
        var polls = new Dictionary<string, int>(StringComparer.Ordinal);
        var pauses = new List<(long From, long To)>();
        var (pauseEnd, backoff) = (long.MinValue, 0.0);
        foreach (var entry in log.OrderBy(e => e.AtMs))
        {
            var index = polls[entry.VideoId] = polls.GetValueOrDefault(entry.VideoId) + 1;
            var fault = faults.TryGetValue(entry.VideoId, out var script) && index <= script.Length ? script[index - 1] : null;
            if (entry.Status is 200 or 404 && fault?.Kind is not (FaultKind.Garbage or FaultKind.Truncated or FaultKind.UnknownStatus or FaultKind.SlowDrip or FaultKind.Delay))
            {
                backoff = 0;
            }

            if (entry.Status != 429)
            {
                continue;
            }

            var hint = fault?.Kind == FaultKind.RateLimit ? (fault.RetryAfter is { } retryAfter ? double.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture) : 1) : (double?)null;
            var inPause = entry.AtMs < pauseEnd;
            if (inPause && hint is null)
            {
                continue;
            }

            backoff = inPause ? Math.Max(backoff, 1) : Math.Clamp(backoff * 2, 1, MaxBackoffSeconds);
            var end = entry.AtMs + (long)((hint ?? Math.Min(MaxBackoffSeconds, backoff * MaxJitter)) * 1000);
            pauses.Add((entry.AtMs, end));
            pauseEnd = Math.Max(pauseEnd, end);
        }

        return TimeSpan.FromMilliseconds(Union(pauses.Select(p => (Math.Max(p.From, fromMs), p.To)).Where(p => p.To > p.Item1)));
    }

    private static long Union(IEnumerable<(long From, long To)> spans)
    {
        var (total, reached) = (0L, long.MinValue);
        foreach (var (from, to) in spans.OrderBy(s => s.From))
        {
            var start = Math.Max(from, reached);
            if (to > start)
            {
                total += to - start;
                reached = to;
            }
        }

        return total;
    }
}
