using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Polling.Simulation;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>The adaptive schedule on a simulated clock: one key at 500 requests a minute, many videos in flight.</summary>
public sealed class AdaptivePollingTests(ITestOutputHelper output)
{
    private const int Budget = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);

    public static TheoryData<string, int> Workloads => new() { { "realistic", 1 }, { "mixed", 3 } };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Adaptive_polling_finds_completions_sooner_than_round_robin_within_the_budget_and_the_floor(string workload, int seed)
    {
        var videos = Workload(workload, seed);
        var fixedRun = new PollingSimulation(PollingStrategy.Fixed, Budget, Interval, MaxInterval).Run(videos);
        var adaptiveRun = new PollingSimulation(PollingStrategy.Adaptive, Budget, Interval, MaxInterval).Run(videos);
        output.WriteLine($"{workload}/{seed}: {videos.Count} videos; fixed p50 {fixedRun.Percentile(50):F1}s p95 {fixedRun.Percentile(95):F1}s, "
            + $"adaptive p50 {adaptiveRun.Percentile(50):F1}s p95 {adaptiveRun.Percentile(95):F1}s; requests {fixedRun.Requests} vs {adaptiveRun.Requests}; "
            + $"busiest window {adaptiveRun.MaxWindow}; longest wait beyond the floor {adaptiveRun.LongestGapBeyondFloor:F1}s");

        Assert.Equal(videos.Count, adaptiveRun.DetectionDelays.Count);
        Assert.True(adaptiveRun.Percentile(50) * 1.75 <= fixedRun.Percentile(50), "adaptive p50 should be at least 1.75x lower");
        Assert.True(adaptiveRun.Percentile(95) * 1.25 <= fixedRun.Percentile(95), "adaptive p95 should be at least 1.25x lower");
        Assert.True(adaptiveRun.MaxWindow <= Budget, $"{adaptiveRun.MaxWindow} requests in one 60 s window");
        // 200 videos at the 60 s floor need 200 of the 500 requests a minute, so the floor can always be kept.
        Assert.True(adaptiveRun.LongestGapBeyondFloor <= 0, $"a video waited {adaptiveRun.LongestGapBeyondFloor:F1}s beyond its floor");
    }

    [Fact]
    public void With_an_ample_budget_adaptive_polling_is_fixed_interval_polling()
    {
        var videos = SimulatedVideoWorkload.Realistic(30, seed: 5);
        var fixedRun = new PollingSimulation(PollingStrategy.Fixed, Budget, Interval, MaxInterval).Run(videos);
        var adaptiveRun = new PollingSimulation(PollingStrategy.Adaptive, Budget, Interval, MaxInterval).Run(videos);

        Assert.Equal(fixedRun.DetectionDelays, adaptiveRun.DetectionDelays);
        Assert.Equal(fixedRun.Requests, adaptiveRun.Requests);
    }

    [Fact]
    public void The_next_gap_stays_between_the_interval_and_the_floor()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var farOff = new VideoOutlook("queued", 0, now, null, null);
        var overdue = new VideoOutlook("in_progress", 90, now.AddMinutes(-30), now.AddMinutes(-20), 10);

        Assert.Equal(MaxInterval * AdaptiveCadence.FloorShare, AdaptiveCadence.NextGap(farOff, new DurationPrior(3600, 60, 10), now, pressure: 1, Interval, MaxInterval));
        Assert.Equal(Interval, AdaptiveCadence.NextGap(overdue, DurationPrior.Default, now, pressure: 0.2, Interval, MaxInterval));
        Assert.Equal(MaxInterval * AdaptiveCadence.FloorShare, AdaptiveCadence.NextGap(overdue, DurationPrior.Default, now, pressure: 50, Interval, MaxInterval));
    }

    [Fact]
    public void Pressure_fits_the_plans_to_the_budget()
    {
        var nearTheirEnd = Enumerable.Repeat((Mean: 10.0, Spread: 10.0), 200).ToList();
        var farFromIt = Enumerable.Repeat((Mean: 600.0, Spread: 30.0), 200).ToList();

        // 200 videos all about to end could use 40 requests a second: the pressure stretches them to the budget.
        Assert.True(AdaptiveCadence.Pressure(nearTheirEnd, Budget, Interval, MaxInterval) > 1);
        // Far from their end they sit at the floor (200 a minute) whatever the pressure: it drops to its minimum.
        Assert.Equal(0.01, AdaptiveCadence.Pressure(farFromIt, Budget, Interval, MaxInterval));
    }

    private static List<SyntheticVideo> Workload(string name, int seed) =>
        name == "realistic" ? SimulatedVideoWorkload.Realistic(200, seed) : SimulatedVideoWorkload.Mixed(200, seed);
}
