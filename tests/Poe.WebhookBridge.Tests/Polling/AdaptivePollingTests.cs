using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Polling.Simulation;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>The adaptive schedule on a simulated clock: one key at 500 requests a minute, many videos in flight.</summary>
public sealed class AdaptivePollingTests(ITestOutputHelper output)
{
    private const int Budget = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How much sooner adaptive polling must find completions than round-robin at the same budget: by issue 8's
    /// targets (3× at the median, 2× at p95) where progress tracks time; where progress stalls, jumps and fails early
    /// it must still win at the median and lose nothing at p95; where it misleads outright, the learned distrust must
    /// keep it from doing much worse at p95 (today: 1.4× sooner at the median, 8 % later at p95).
    /// </summary>
    public static TheoryData<string, int, double, double> Workloads => new()
    {
        { "realistic", 1, 3, 2 },
        { "realistic", 2, 3, 2 },
        { "mixed", 3, 2, 1 },
        { "misleading", 4, 1.3, 0.9 },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Adaptive_polling_finds_completions_sooner_than_round_robin_within_the_budget_and_the_floor(string workload, int seed, double p50Gain, double p95Gain)
    {
        var videos = Workload(workload, seed);
        var fixedRun = new PollingSimulation(PollingStrategy.Fixed, Budget, Interval, MaxInterval).Run(videos);
        var adaptiveRun = new PollingSimulation(PollingStrategy.Adaptive, Budget, Interval, MaxInterval).Run(videos);
        output.WriteLine($"{workload}/{seed}: {videos.Count} videos; fixed p50 {fixedRun.Percentile(50):F1}s p95 {fixedRun.Percentile(95):F1}s, "
            + $"adaptive p50 {adaptiveRun.Percentile(50):F1}s p95 {adaptiveRun.Percentile(95):F1}s; requests {fixedRun.Requests} vs {adaptiveRun.Requests}; "
            + $"busiest window {adaptiveRun.MaxWindow}; longest wait beyond the floor {adaptiveRun.LongestGapBeyondFloor:F1}s");

        Assert.Equal(videos.Count, adaptiveRun.DetectionDelays.Count);
        Assert.True(adaptiveRun.Percentile(50) * p50Gain <= fixedRun.Percentile(50), $"adaptive p50 should be at least {p50Gain}x lower");
        Assert.True(adaptiveRun.Percentile(95) * p95Gain <= fixedRun.Percentile(95), $"adaptive p95 should be at least {p95Gain}x lower");
        Assert.True(adaptiveRun.MaxWindow <= Budget, $"{adaptiveRun.MaxWindow} requests in one 60 s window");
        // 200 videos at the 60 s floor need 200 of the 500 requests a minute, so the floor can always be kept.
        Assert.True(adaptiveRun.LongestGapBeyondFloor <= 0, $"a video waited {adaptiveRun.LongestGapBeyondFloor:F1}s beyond its floor");
    }

    [Fact]
    public void With_an_ample_budget_adaptive_polling_is_fixed_interval_polling()
    {
        var videos = SimulatedVideoWorkload.Realistic(30, seed: 5);
        var interval = TimeSpan.FromSeconds(5);
        var fixedRun = new PollingSimulation(PollingStrategy.Fixed, Budget, interval, MaxInterval).Run(videos);
        var adaptiveRun = new PollingSimulation(PollingStrategy.Adaptive, Budget, interval, MaxInterval).Run(videos);

        Assert.Equal(fixedRun.DetectionDelays, adaptiveRun.DetectionDelays);
        Assert.Equal(fixedRun.Requests, adaptiveRun.Requests);
    }

    [Fact]
    public void The_next_gap_stays_between_the_interval_and_the_floor()
    {
        var floor = MaxInterval * AdaptiveCadence.FloorShare;

        // Far from its end: at the floor while requests are dear, every few seconds while the budget idles (it may fail early).
        Assert.Equal(floor, AdaptiveCadence.NextGap(mean: 3600, spread: 60, pressure: 100, Interval, MaxInterval));
        Assert.InRange(AdaptiveCadence.NextGap(mean: 3600, spread: 60, pressure: 0.01, Interval, MaxInterval), Interval, TimeSpan.FromSeconds(5));
        Assert.Equal(Interval, AdaptiveCadence.NextGap(mean: 1, spread: 2, pressure: 0.01, Interval, MaxInterval));
        // Dear requests: one poll, once the end has surely passed — not a blind wait for the floor.
        Assert.InRange(AdaptiveCadence.NextGap(mean: 1, spread: 2, pressure: 1000, Interval, MaxInterval).TotalSeconds, 6, 10);
        Assert.Equal(floor, AdaptiveCadence.NextGap(mean: 1000, spread: 2, pressure: 1000, Interval, MaxInterval));
        Assert.True(AdaptiveCadence.NextGap(mean: 3600, spread: 60, pressure: 100, Interval, MaxInterval, stagger: 0.99) < floor);
    }

    [Fact]
    public void A_known_end_is_polled_just_after_it_and_floor_polls_line_up_with_it()
    {
        // An end 100 s away, known to ±2 s: not "wait a floor, then see" but floor-sized steps that land at the end.
        var polls = new List<double>();
        for (var at = 0.0; at < 100; polls.Add(at))
        {
            at += AdaptiveCadence.NextGap(mean: 100 - at, spread: 2, pressure: 5, Interval, MaxInterval).TotalSeconds;
        }

        Assert.InRange(polls[^1], 100, 104);
        // Three polls are the least that keep to the floor; one or two more may close in on the end.
        Assert.InRange(polls.Count, Math.Ceiling(100 / (MaxInterval * AdaptiveCadence.FloorShare).TotalSeconds), 5);
    }

    [Fact]
    public void A_video_not_yet_seen_is_first_polled_when_the_quickest_kind_learned_could_be_near_its_end()
    {
        var floor = MaxInterval * AdaptiveCadence.FloorShare;
        DurationPrior[] quickAndSlow = [new(20, 2, 50), new(300, 30, 50)];

        // Dear requests and nothing learned: the first poll waits for the floor, as any far-off video's would.
        Assert.Equal(floor, AdaptiveCadence.FirstGap([], pressure: 100, Interval, MaxInterval, stagger: 0));
        // The quickest kind learned ends about 20 s after creation: the first poll goes around then, not at the floor.
        Assert.InRange(AdaptiveCadence.FirstGap(quickAndSlow, pressure: 5, Interval, MaxInterval, stagger: 0).TotalSeconds, 15, 26);
        // An idle budget polls a new video within a few seconds.
        Assert.InRange(AdaptiveCadence.FirstGap(quickAndSlow, pressure: 0.01, Interval, MaxInterval, stagger: 0), Interval, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_dearer_request_means_fewer_polls()
    {
        double Gap(double pressure) => AdaptiveCadence.NextGap(mean: 20, spread: 8, pressure, Interval, MaxInterval).TotalSeconds;

        Assert.True(Gap(0.1) < Gap(5));
        Assert.True(Gap(5) < Gap(100));
    }

    [Fact]
    public void The_pressure_rises_while_the_key_is_asked_for_more_than_its_budget_and_falls_while_it_is_not()
    {
        // 20 s at 500 a minute is 167 requests; the pressure aims a little below.
        Assert.True(AdaptiveCadence.NextPressure(5, sentInWindow: 160, waiting: 40, Budget, AdaptiveCadence.SteeringStep) > 5);
        Assert.True(AdaptiveCadence.NextPressure(5, sentInWindow: 80, waiting: 0, Budget, AdaptiveCadence.SteeringStep) < 5);
        Assert.Equal(0.01, AdaptiveCadence.NextPressure(0.01, sentInWindow: 0, waiting: 0, Budget, AdaptiveCadence.SteeringStep));
    }

    [Fact]
    public void The_pressure_moves_as_far_in_one_steering_after_ten_seconds_as_in_five_two_seconds_apart()
    {
        var step = AdaptiveCadence.SteeringStep;
        double Steered(double pressure, int times, TimeSpan apart)
        {
            for (var i = 0; i < times; i++)
            {
                pressure = AdaptiveCadence.NextPressure(pressure, sentInWindow: 160, waiting: 200, Budget, apart);
            }

            return pressure;
        }

        Assert.Equal(Steered(5, 5, step), Steered(5, 1, step * 5), precision: 9);
        Assert.True(Steered(5, 1, step * 5) > Steered(5, 1, step));
        // A pause longer than the steering window (a stalled instance) counts as one window, not as a jump to the limit.
        Assert.Equal(Steered(5, 1, AdaptiveCadence.SteeringWindow), Steered(5, 1, TimeSpan.FromMinutes(10)), precision: 9);
    }

    [Fact]
    public void Progress_that_tracks_time_narrows_the_estimate_and_a_history_of_misleading_progress_widens_it()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var prior = new DurationPrior(120, 10, 50);
        var queued = AdaptiveCadence.ExpectedEnd(new VideoOutlook("queued", 0, now.AddSeconds(-10), null, null), prior, now);
        var running = new VideoOutlook("in_progress", 80, now.AddSeconds(-90), now.AddSeconds(-60), 20);
        var honest = AdaptiveCadence.ExpectedEnd(running, prior, now);
        var misleading = AdaptiveCadence.ExpectedEnd(running, prior with { Surprise = 25 }, now);

        Assert.Equal(110, queued.Mean, precision: 6);
        // 60 points in 60 s: 20 points are about 20 s away.
        Assert.InRange(honest.Mean, 15, 32);
        Assert.True(honest.Spread < queued.Spread / 2);
        Assert.True(misleading.Spread > honest.Spread * 2);
    }

    private static List<SyntheticVideo> Workload(string name, int seed) => name switch
    {
        "realistic" => SimulatedVideoWorkload.Realistic(200, seed),
        "misleading" => SimulatedVideoWorkload.Misleading(200, seed),
        _ => SimulatedVideoWorkload.Mixed(200, seed),
    };
}
