using System.Text.Json;
using Poe.Simulator.Videos;

namespace Poe.Simulator.Tests.Videos;

public sealed class VideoTimelineTests
{
    [Fact]
    public async Task A_video_moves_from_queued_to_completed_as_time_passes()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", simulation = new { queued_ms = 2000, running_ms = 10_000, curve = "linear" } });

        var queued = await sim.PollJsonAsync("v1");
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal(0, queued.GetProperty("progress").GetInt32());

        sim.Time.Advance(TimeSpan.FromSeconds(7));
        var running = await sim.PollJsonAsync("v1");
        Assert.Equal("in_progress", running.GetProperty("status").GetString());
        Assert.Equal(50, running.GetProperty("progress").GetInt32());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("completed_at").ValueKind);

        sim.Time.Advance(TimeSpan.FromSeconds(5));
        var done = await sim.PollJsonAsync("v1");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetInt32());
        Assert.Equal(RunningSimulator.Start.AddSeconds(12).ToUnixTimeSeconds(), done.GetProperty("completed_at").GetInt64());
        Assert.Equal(JsonValueKind.Object, done.GetProperty("usage").ValueKind);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task A_video_planned_to_fail_ends_failed_with_an_error_and_no_usage()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", simulation = new { queued_ms = 0, running_ms = 1000, outcome = "failed" } });

        sim.Time.Advance(TimeSpan.FromSeconds(1));
        var video = await sim.PollJsonAsync("v1");

        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(video.GetProperty("error").GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(video.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, video.GetProperty("usage").ValueKind);
        Assert.Equal(JsonValueKind.Number, video.GetProperty("completed_at").ValueKind);
    }

    [Fact]
    public async Task A_polled_video_has_every_field_of_Poes_video_object()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", model = "veo-3", seconds = 4, size = "720x1280" });

        var video = await sim.PollJsonAsync("v1");

        string[] fields = ["id", "object", "status", "progress", "created_at", "completed_at", "expires_at",
            "model", "seconds", "size", "remixed_from_video_id", "error", "usage"];
        Assert.Equal(fields.Order(), video.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("video", video.GetProperty("object").GetString());
        Assert.Equal("Veo-3", video.GetProperty("model").GetString());
        Assert.Equal(4, video.GetProperty("seconds").GetInt32());
        Assert.Equal("720x1280", video.GetProperty("size").GetString());
        Assert.Equal(RunningSimulator.Start.ToUnixTimeSeconds(), video.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task An_uneven_video_never_loses_progress_and_stays_below_100_until_done()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var video = sim.Videos.Create(new VideoSpec
        {
            QueuedTime = TimeSpan.Zero,
            RunningTime = TimeSpan.FromSeconds(100),
            Curve = ProgressCurveKind.Uneven,
            Seed = 42,
        });

        var seen = new List<int>();
        for (var second = 0; second < 100; second++)
        {
            var state = video.StateAt(RunningSimulator.Start.AddSeconds(second));
            Assert.Equal(VideoState.InProgress, state.Status);
            seen.Add(state.Progress);
        }

        Assert.All(seen, p => Assert.InRange(p, 0, 99));
        Assert.Equal(seen.Order(), seen);
        Assert.True(seen.Distinct().Count() < 60, "an uneven curve has plateaus");
        Assert.Equal(VideoState.Completed, video.StateAt(RunningSimulator.Start.AddSeconds(100)).Status);
    }

    [Fact]
    public void The_same_seed_gives_the_same_uneven_curve()
    {
        var first = ProgressCurve.Uneven(7);
        var second = ProgressCurve.Uneven(7);

        var fractions = Enumerable.Range(0, 50).Select(i => i / 50.0).ToList();
        Assert.Equal(fractions.Select(first.At), fractions.Select(second.At));
    }

    [Fact]
    public void A_drifting_curve_tracks_the_time_elapsed_then_sits_at_99()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var curve = ProgressCurve.Drifting(seed);
            var readings = Enumerable.Range(0, 101).Select(i => curve.At(i / 100.0)).ToList();

            Assert.Equal(readings.Order(), readings);
            Assert.Equal(99, readings[^1]);
            Assert.Equal(99, curve.At(0.999));
            // Mid-run it is never far from the share elapsed (the finishing stretch takes at most 8 %).
            Assert.All(Enumerable.Range(10, 80), i => Assert.InRange(readings[i] - i, -20, 20));
        }

        Assert.Equal(ProgressCurve.Drifting(7).At(0.5), ProgressCurve.Drifting(7).At(0.5));
    }

    [Fact]
    public async Task Videos_without_timings_use_the_configured_defaults()
    {
        await using var sim = await RunningSimulator.StartAsync(o =>
        {
            o.DefaultQueuedTime = TimeSpan.FromSeconds(1);
            o.DefaultRunningTime = TimeSpan.FromSeconds(3);
        });
        await sim.CreateAsync(new { id = "v1" });

        sim.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("in_progress", (await sim.PollJsonAsync("v1")).GetProperty("status").GetString());
        sim.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("completed", (await sim.PollJsonAsync("v1")).GetProperty("status").GetString());
    }
}
