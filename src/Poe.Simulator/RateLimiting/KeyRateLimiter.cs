using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Poe.Simulator.RateLimiting;

/// <summary>Poe's per-key budget: at most RequestsPerMinute accepted requests in any sliding 60 s window.</summary>
public sealed class KeyRateLimiter(IOptions<SimulatorOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly int _limit = options.Value.RequestsPerMinute;
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _windows = new(StringComparer.Ordinal);

    /// <summary>Takes a slot when one is free; a refused request uses none.</summary>
    public RateLimitLease TryAcquire(string key)
    {
        var now = time.GetUtcNow();
        var window = _windows.GetOrAdd(key, _ => []);
        lock (window)
        {
            Prune(window, now);
            var acquired = window.Count < _limit;
            if (acquired)
                window.Add(now);
            return new RateLimitLease(acquired, StateOf(window, now), now);
        }
    }

    /// <summary>The state without taking a slot (for rejected keys).</summary>
    public RateLimitState Peek(string? key)
    {
        var now = time.GetUtcNow();
        if (key is null || !_windows.TryGetValue(key, out var window))
            return new RateLimitState(_limit, _limit, TimeSpan.Zero);
        lock (window)
        {
            Prune(window, now);
            return StateOf(window, now);
        }
    }

    /// <summary>Gives back a slot, for responses that must not count (a scripted 429).</summary>
    public void Refund(string key, RateLimitLease lease)
    {
        if (!lease.Acquired || !_windows.TryGetValue(key, out var window))
            return;
        lock (window)
        {
            var index = window.LastIndexOf(lease.At);
            if (index >= 0)
                window.RemoveAt(index);
        }
    }

    private static void Prune(List<DateTimeOffset> window, DateTimeOffset now)
    {
        var expired = 0;
        while (expired < window.Count && window[expired] + Window <= now)
            expired++;
        window.RemoveRange(0, expired);
    }

    private RateLimitState StateOf(List<DateTimeOffset> window, DateTimeOffset now) => new(
        _limit,
        Math.Max(0, _limit - window.Count),
        window.Count == 0 ? TimeSpan.Zero : window[0] + Window - now);
}
