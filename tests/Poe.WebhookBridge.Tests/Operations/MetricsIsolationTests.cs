using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>
/// Meters are process-wide, so a second bridge in the process (here a second instance; in production an app that
/// hosts two) must neither add to this one's series nor hide them: each <c>/metrics</c> reports its own host only.
/// </summary>
public sealed partial class MetricsIsolationTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task Each_bridge_in_a_process_exports_only_what_it_measured()
    {
        var other = Bridge.WithSettings();
        using var otherClient = other.ClientFor(apiKey: null);
        await other.WaitUntilReadyAsync();
        var before = UnsentPolls(await Shop.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        var otherBefore = UnsentPolls(await otherClient.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        var metrics = Bridge.Services.GetRequiredService<BridgeMetrics>();
        for (var i = 0; i < 3; i++)
        {
            metrics.PollUnsent();
        }

        // A scrape is cached for 300 ms (the exporter's default), so each side is read again past that.
        await Eventually.TrueAsync(async () => UnsentPolls(await Shop.GetStringAsync(new Uri("/metrics", UriKind.Relative))) == before + 3,
            TimeSpan.FromSeconds(5), "this bridge to count its unsent polls");
        await Task.Delay(ScrapeCache * 2);
        Assert.Equal(otherBefore, UnsentPolls(await otherClient.GetStringAsync(new Uri("/metrics", UriKind.Relative))));
    }

    private static readonly TimeSpan ScrapeCache = TimeSpan.FromMilliseconds(300);

    private static double UnsentPolls(string metrics) =>
        UnsentPollsSample().Matches(metrics).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^bridge_poll_unsent_total(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex UnsentPollsSample();
}
