using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>A claim is a lease: a video claimed by an instance that dies comes due again by itself, for any instance.</summary>
public sealed class LeaseRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_video_claimed_by_an_instance_that_died_is_polled_by_another_once_the_claim_lease_ends()
    {
        await using var poe = await FakePoe.StartAsync();
        poe.Script("video_orphaned", PoeAnswer.Hanging(), PoeAnswer.Video("video_orphaned", "completed", 100));
        await using var bridge = await PollingBridge.CreateAsync(poe.BaseUrl, ("Poe:Timeout", "00:00:02"));
        var doomed = bridge.StartInstance();
        var id = await PollingBridge.WatchAsync(bridge.Shop, "video_orphaned");
        await Eventually.TrueAsync(() => Task.FromResult(poe.RequestsFor("video_orphaned").Count == 1), TimeSpan.FromSeconds(5), "the doomed instance's poll");

        await bridge.StopInstanceAsync(doomed);
        bridge.StartInstance();
        var watch = await bridge.EndedAsync(id, TimeSpan.FromSeconds(30));

        var requests = poe.RequestsFor("video_orphaned");
        var gap = requests[1].At - requests[0].At;
        output.WriteLine($"claimed and lost at {requests[0].At:HH:mm:ss.fff}; polled again {gap.TotalSeconds:F1} s later by the survivor");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.Equal(2, requests.Count);
        // The lease is Poe:Timeout (2 s) plus a 15 s margin from the claim (the request leaves within 1 s of it); not before, and not much after.
        Assert.InRange(gap, TimeSpan.FromSeconds(17 - 1), TimeSpan.FromSeconds(17 + 3));
    }
}
