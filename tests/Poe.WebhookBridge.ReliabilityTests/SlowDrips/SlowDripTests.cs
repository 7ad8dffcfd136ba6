using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Poe.Simulator;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.SlowDrips;

/// <summary>
/// A Poe and a consumer that send their headers, then a byte a second: <c>Poe:Timeout</c> and <c>Webhooks:Timeout</c>
/// bound the whole exchange (the bridge hangs up within the time-out, not after the minute the drip lasts), and the
/// other videos and consumers get their webhooks as soon as their videos end.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed partial class SlowDripTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3);

    /// <summary>A completed webhook later than this after its video ended was delayed: one poll interval (1 s) plus
    /// the delivery, with room for a loaded machine; waiting on a drip would take up to a minute.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(4);

    /// <summary>How much later than its time-out the bridge may hang up: the drip's own one-second steps are not in it
    /// (the server notices the hang-up at once), so this is scheduling on a loaded machine.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    [GeneratedRegex("video_n[0-9]+")]
    private static partial Regex VideoId();

    [Fact]
    public async Task Dripping_Poe_and_consumers_are_cut_at_their_time_outs_and_delay_no_one_else()
    {
        await using var simulator = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 100_000);
        await using var poe = await DrippingPoe.StartAsync(simulator);
        await using var cluster = await BridgeCluster.StartAsync("slowdrips", size: 1, configure: s =>
        {
            s["Poe:BaseUrl"] = poe.BaseUrl.AbsoluteUri;
            // Apart from each other and from the handler's 2 s drain of unread bodies, so each bound is seen to be its own.
            s["Poe:Timeout"] = "00:00:03";
            s["Webhooks:Timeout"] = "00:00:01";
        });
        var drip = new Drip();
        await using var dripping = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.2"), (context, closing) => drip.AnswerAsync(context, 200, "{}", closing));
        using var api = cluster.Api();

        var created = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < 25; i++)
        {
            created[$"video_n{i}"] = DateTimeOffset.UtcNow;
            simulator.Create($"video_n{i}", running: Lifetime - TimeSpan.FromSeconds(1), queued: TimeSpan.FromSeconds(1));
            var registered = await Registrations.TryRegisterAsync(api, $"video_n{i}", i < 5 ? dripping.Url : cluster.Receiver.Url);
            Assert.Equal(HttpStatusCode.Created, registered?.Status);
            if (i < 5)
            {
                Assert.Equal(HttpStatusCode.Created, (await Registrations.TryRegisterAsync(api, $"drip_{i}", cluster.Receiver.Url))?.Status);
            }
        }

        var healthy = await cluster.Receiver.WaitForAsync(20, TimeSpan.FromSeconds(60));
        var latest = healthy.Max(w => w.ReceivedAt - created[VideoId().Match(w.Body).Value]);
        await Eventually.TrueAsync(() => Task.FromResult(poe.Drip.Exchanges.Count >= 5 && drip.Exchanges.Count >= 5), TimeSpan.FromSeconds(60), cluster.DescribeAsync);

        var poeTimeout = TimeSpan.Parse(cluster.Settings["Poe:Timeout"]!, CultureInfo.InvariantCulture);
        var webhookTimeout = TimeSpan.Parse(cluster.Settings["Webhooks:Timeout"]!, CultureInfo.InvariantCulture);
        var poeLongest = poe.Drip.Exchanges.Max();
        var consumerLongest = drip.Exchanges.Max();
        var lateBy = latest - Lifetime;
        Summary.Report(output, string.Create(CultureInfo.InvariantCulture,
            $"slow drips: poe drips cut={poe.Drip.Exchanges.Count} longest={poeLongest.TotalSeconds:0.0} s (Poe:Timeout {poeTimeout.TotalSeconds:0} s) consumer drips cut={drip.Exchanges.Count} longest={consumerLongest.TotalSeconds:0.0} s (Webhooks:Timeout {webhookTimeout.TotalSeconds:0} s) healthy webhooks={healthy.Count} last one {lateBy.TotalSeconds:0.0} s after its video ended"));
        Assert.InRange(poeLongest, TimeSpan.Zero, poeTimeout + Margin);
        Assert.InRange(consumerLongest, TimeSpan.Zero, webhookTimeout + Margin);
        Assert.InRange(lateBy, TimeSpan.Zero, Prompt);
    }
}
