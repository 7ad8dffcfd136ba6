namespace Poe.Simulator.Requests;

/// <summary>Sliding-window counts over logged request times, as Poe's per-minute limiter sees them.</summary>
public static class RequestWindows
{
    /// <summary>For each request, how many requests the window of <paramref name="window"/> ending at it holds.</summary>
    public static IEnumerable<int> Counts(IEnumerable<long> timesMs, TimeSpan window)
    {
        var times = timesMs.Order().ToArray();
        var windowMs = (long)window.TotalMilliseconds;
        for (int start = 0, end = 0; end < times.Length; end++)
        {
            while (times[end] - times[start] >= windowMs)
            {
                start++;
            }

            yield return end - start + 1;
        }
    }

    /// <summary>The most requests in any window of <paramref name="window"/>; 0 without requests.</summary>
    public static int Busiest(IEnumerable<long> timesMs, TimeSpan window) => Counts(timesMs, window).DefaultIfEmpty().Max();

    /// <summary>
    /// The two requests for one video closest together (a request is logged when it is answered): the video and their
    /// gap; <c>("", long.MaxValue)</c> when no video was asked twice.
    /// </summary>
    public static (string VideoId, long GapMs) ClosestRepeat(IEnumerable<RequestLogEntry> requests) =>
        requests.GroupBy(r => r.VideoId)
            .SelectMany(g =>
            {
                var times = g.Select(r => r.AtMs).Order().ToList();
                return times.Zip(times.Skip(1), (a, b) => (VideoId: g.Key, GapMs: b - a));
            })
            .DefaultIfEmpty((VideoId: "", GapMs: long.MaxValue))
            .MinBy(p => p.GapMs);
}
