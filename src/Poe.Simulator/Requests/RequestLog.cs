using System.Collections.Concurrent;

namespace Poe.Simulator.Requests;

/// <summary>Every request to Poe's endpoints seen, so tests and the benchmark can check what a client sent.</summary>
public sealed class RequestLog(TimeProvider time)
{
    public const string Poll = "poll";
    // Bounds memory for long demo runs; far above what a test or benchmark run produces.
    private const int Capacity = 1_000_000;

    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();

    /// <summary>Status 0 means the connection was cut without an answer.</summary>
    public void Record(string? keyId, string videoId, int status, string operation = Poll)
    {
        _entries.Enqueue(new RequestLogEntry(time.GetUtcNow().ToUnixTimeMilliseconds(), keyId, videoId, status, operation));
        while (_entries.Count > Capacity)
            _entries.TryDequeue(out _);
    }

    public IReadOnlyList<RequestLogEntry> Since(long? sinceMs = null) =>
        [.. _entries.Where(e => sinceMs is null || e.AtMs >= sinceMs)];

    public void Clear() => _entries.Clear();

    public RequestStats Stats()
    {
        var entries = Since();
        return new RequestStats(
            entries.Count,
            entries.CountBy(e => e.KeyId ?? "none").ToDictionary(),
            entries.CountBy(e => e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToDictionary());
    }
}
