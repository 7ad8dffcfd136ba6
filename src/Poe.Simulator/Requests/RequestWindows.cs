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
}
