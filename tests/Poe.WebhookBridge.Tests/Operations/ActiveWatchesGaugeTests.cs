using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>
/// Counting active watches reads every one of them, so the gauge is recounted once per
/// <see cref="BridgeMetrics.ActiveWatchesEvery"/>, not on every poll tick: its cost does not multiply with the tick rate.
/// </summary>
public sealed class ActiveWatchesGaugeTests
{
    [Fact]
    public void The_active_watch_count_is_recounted_once_per_period_by_one_caller()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new BridgeMetrics(services.GetRequiredService<IMeterFactory>());
        var start = new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero);

        Assert.True(metrics.ActiveWatchesDue(start));
        Assert.False(metrics.ActiveWatchesDue(start));
        Assert.False(metrics.ActiveWatchesDue(start + BridgeMetrics.ActiveWatchesEvery - TimeSpan.FromSeconds(1)));
        Assert.True(metrics.ActiveWatchesDue(start + BridgeMetrics.ActiveWatchesEvery));
        Assert.False(metrics.ActiveWatchesDue(start + BridgeMetrics.ActiveWatchesEvery + TimeSpan.FromSeconds(1)));
    }
}
