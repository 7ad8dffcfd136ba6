using System.Diagnostics;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>Asks <c>/health/live</c> five times a second, as an orchestrator's liveness probe would, and keeps the slowest answer.</summary>
public static class LivenessProbe
{
    /// <returns>The slowest answer until <paramref name="stop"/> (a request without a 200 counts as taking until it failed).</returns>
    public static async Task<TimeSpan> RunAsync(Uri bridge, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = bridge, Timeout = TimeSpan.FromSeconds(30) };
        var slowest = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative), CancellationToken.None);
                slowest = response.IsSuccessStatusCode ? Max(slowest, clock.Elapsed) : TimeSpan.MaxValue;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                slowest = TimeSpan.MaxValue;
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return slowest;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
