using System.Net;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class IsolationTests(DeliveryBridge fixture, ITestOutputHelper output) : DeliveryTest(fixture)
{
    private const int Samples = 20;

    [Fact]
    public async Task A_consumer_that_never_answers_does_not_delay_deliveries_to_another()
    {
        await using var healthy = await WebhookReceiver.StartAsync(IPAddress.Loopback);
        await using var dead = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.2"), WebhookReceiver.Hang);
        var healthyWatch = await Shop.CreateWatchAsync("video_healthy", healthy.Url);
        var deadWatches = new List<string>();
        for (var i = 0; i < DeliveryCapacity.MaxPerHost * 3; i++)
        {
            deadWatches.Add(await Shop.CreateWatchAsync($"video_unlucky_{i}", dead.Url));
        }

        var alone = await MeasureAsync(healthy, healthyWatch);
        foreach (var watchId in deadWatches)
        {
            await StoreEventAsync(watchId);
        }

        await dead.WaitForAsync(DeliveryCapacity.MaxPerHost);
        var besideTheDeadOne = await MeasureAsync(healthy, healthyWatch);

        output.WriteLine($"healthy consumer alone: median {Median(alone)} ms, max {alone.Max()} ms");
        output.WriteLine($"beside a hanging one:   median {Median(besideTheDeadOne)} ms, max {besideTheDeadOne.Max()} ms");
        Assert.Equal(DeliveryCapacity.MaxPerHost, dead.MaxConcurrentRequests);
        // Blocked behind the hanging consumer, a delivery would wait for an attempt to time out; a loaded machine's
        // hiccups (a second here and there on 2 cores) stay well below that.
        var blocked = DeliveryBridge.AttemptTimeout.TotalMilliseconds;
        Assert.True(besideTheDeadOne.Max() < blocked * 0.75, $"a delivery took {besideTheDeadOne.Max()} ms beside the hanging consumer (its attempts time out after {blocked} ms)");
        Assert.True(Median(besideTheDeadOne) < Median(alone) + 250, "the hanging consumer slowed the healthy one down");
    }

    /// <summary>Stores events one after another and returns, for each, the milliseconds from stored to received.</summary>
    private async Task<List<double>> MeasureAsync(WebhookReceiver receiver, string watchId)
    {
        var latencies = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            // Counted before the event is stored: on a loaded machine it may arrive before this test runs on.
            var before = receiver.Received.Count;
            var stored = DateTimeOffset.UtcNow;
            var eventId = await StoreEventAsync(watchId);
            var received = await receiver.WaitForAsync(before + 1);
            var webhook = received.Single(r => r.Header("webhook-id") == eventId);
            latencies.Add((webhook.ReceivedAt - stored).TotalMilliseconds);
        }

        return latencies;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
