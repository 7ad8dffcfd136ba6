using System.Diagnostics;
using System.Net;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>Waits for a bridge's <c>/health/ready</c> to give an answer, as a load balancer would see it.</summary>
public static class Readiness
{
    /// <returns>How long it took until <c>/health/ready</c> answered <paramref name="expected"/>.</returns>
    public static async Task<TimeSpan> WaitForAsync(HttpClient api, HttpStatusCode expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await api.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == expected)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(clock.Elapsed < timeout, $"/health/ready did not answer {(int)expected} within {timeout}.");
            await Task.Delay(250);
        }
    }
}
