using System.Globalization;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// SPEC §3, 429 and Poe's rate headers: the whole key pauses — <c>Retry-After</c> first, then
/// <c>x-ratelimit-reset-requests</c>, else 1 s doubling — and a spent window is waited out instead of provoking a 429.
/// Each test has its own bridge, since a key's pause is shared state.
/// </summary>
public sealed class PoeRateLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FakePoe _poe = null!;
    private PollingBridge _bridge = null!;

    public async Task InitializeAsync()
    {
        _poe = await FakePoe.StartAsync();
        _bridge = await PollingBridge.StartAsync(_poe.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _bridge.DisposeAsync();
        await _poe.DisposeAsync();
    }

    [Fact]
    public async Task A_response_saying_no_requests_remain_holds_the_key_until_Poe_resets_its_window()
    {
        _poe.Script("video_spent",
            PoeAnswer.Video("video_spent", "in_progress", 10).WithHeader("x-ratelimit-remaining-requests", "0").WithHeader("x-ratelimit-reset-requests", "3s"),
            PoeAnswer.Video("video_spent", "in_progress", 20).WithHeader("x-ratelimit-remaining-requests", "450").WithHeader("x-ratelimit-reset-requests", "1s"),
            PoeAnswer.Video("video_spent", "in_progress", 30),
            PoeAnswer.Video("video_spent", "completed", 100));
        _poe.Script("video_bystander", PoeAnswer.Video("video_bystander", "in_progress", 50));
        var bystander = await PollingBridge.WatchAsync(_bridge.Shop, "video_bystander");
        await Eventually.TrueAsync(() => Task.FromResult(_poe.RequestsFor("video_bystander").Count >= 1), TimeSpan.FromSeconds(5), "the bystander's first poll");

        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_spent");
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));

        var gaps = Gaps(_poe.RequestsFor("video_spent"));
        var spentAt = _poe.RequestsFor("video_spent")[0].At;
        var held = _poe.Requests.Where(r => r.At > spentAt.AddSeconds(0.3) && r.At < spentAt.AddSeconds(3)).ToList();
        output.WriteLine($"gaps {Format(gaps)} s; requests for any video while held: {held.Count}");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.InRange(gaps[0], 3 - 0.05, 3 + 1.5);
        Assert.InRange(gaps[1], 1 - 0.15, 2);
        // The key is held, not the video: the other video of the key waits too (one poll may have been in flight).
        Assert.Empty(held);
        Assert.Equal(WatchStatus.Active, (await _bridge.ReadWatchAsync(bystander)).Status);
    }

    [Fact]
    public async Task A_429_without_Retry_After_pauses_the_key_until_Poe_s_reset_header()
    {
        _poe.Script("video_reset_header",
            PoeAnswer.Error(429, "rate_limit_exceeded").WithHeader("x-ratelimit-remaining-requests", "0").WithHeader("x-ratelimit-reset-requests", "4s"),
            PoeAnswer.Video("video_reset_header", "completed", 100));

        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_reset_header");
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));

        var gaps = Gaps(_poe.RequestsFor("video_reset_header"));
        output.WriteLine($"gaps {Format(gaps)} s");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.InRange(Assert.Single(gaps), 4 - 0.05, 4 + 1.5);
        Assert.Equal(["video.completed"], (await _bridge.EventsOfAsync(id)).Select(e => e.Type));
    }

    [Fact]
    public async Task A_429_with_Retry_After_as_an_HTTP_date_pauses_the_key_until_that_date()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(5);
        _poe.Script("video_http_date",
            PoeAnswer.Error(429, "rate_limit_exceeded").WithHeader("Retry-After", until.ToString("R", CultureInfo.InvariantCulture)),
            PoeAnswer.Video("video_http_date", "completed", 100));

        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_http_date");
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));

        var requests = _poe.RequestsFor("video_http_date");
        var date = DateTimeOffset.ParseExact(until.ToString("R", CultureInfo.InvariantCulture), "R", CultureInfo.InvariantCulture);
        output.WriteLine($"429 at {requests[0].At:HH:mm:ss.fff}, Retry-After {date:HH:mm:ss}, next request at {requests[1].At:HH:mm:ss.fff}");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.Equal(2, requests.Count);
        Assert.InRange(requests[1].At, date.AddSeconds(-0.05), date.AddSeconds(1.5));
    }

    [Fact]
    public async Task A_429_with_no_hint_pauses_the_key_one_second_doubling_with_jitter()
    {
        var tooMany = PoeAnswer.Error(429, "rate_limit_exceeded");
        _poe.Script("video_no_hint", tooMany, tooMany, tooMany, PoeAnswer.Video("video_no_hint", "completed", 100));

        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_no_hint");
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(20));

        var gaps = Gaps(_poe.RequestsFor("video_no_hint"));
        output.WriteLine($"gaps {Format(gaps)} s");
        Assert.Equal(WatchStatus.Completed, watch.Status);
        Assert.Equal(3, gaps.Count);
        // 1 s, 2 s, 4 s, each ±20 %; a paused key's video is due at once when the pause ends.
        Assert.InRange(gaps[0], 0.8 - 0.05, 1.2 + 1);
        Assert.InRange(gaps[1], 1.6 - 0.05, 2.4 + 1);
        Assert.InRange(gaps[2], 3.2 - 0.05, 4.8 + 1);
        Assert.Equal(["video.completed"], (await _bridge.EventsOfAsync(id)).Select(e => e.Type));
    }

    [Fact]
    public async Task Hintless_429s_to_requests_already_out_together_pause_the_key_once_not_once_each()
    {
        var answerDelay = TimeSpan.FromMilliseconds(1500);
        // Six polls in flight at once, all refused: one refusal of the key, so one 1 s pause (not 1, 2, 4 … 32 s).
        var videos = Enumerable.Range(0, 6).Select(i => $"video_together_{i}").ToList();
        foreach (var video in videos)
        {
            _poe.Script(video, PoeAnswer.Error(429, "rate_limit_exceeded") with { Delay = answerDelay }, PoeAnswer.Video(video, "completed", 100));
        }

        var ids = await Task.WhenAll(videos.Select(v => PollingBridge.WatchAsync(_bridge.Shop, v)));
        await Task.WhenAll(ids.Select(id => _bridge.EndedAsync(id, TimeSpan.FromSeconds(20))));

        var requests = videos.Select(v => _poe.RequestsFor(v)).ToList();
        var firstSent = requests.Min(r => r[0].At);
        var lastRetry = requests.Max(r => r[1].At);
        output.WriteLine($"first polls within {(requests.Max(r => r[0].At) - firstSent).TotalMilliseconds:F0} ms; last retry {(lastRetry - firstSent).TotalSeconds:F2} s after the first");
        Assert.True(requests.Max(r => r[0].At) - firstSent < answerDelay, "The six first polls were not out together.");
        // The answers' delay, one pause of at most 1.2 s, 1 s for the next claim; doubling per answer would be ≥ 25 s.
        Assert.InRange((lastRetry - firstSent).TotalSeconds, answerDelay.TotalSeconds, answerDelay.TotalSeconds + 1.2 + 1);
    }

    private static List<double> Gaps(IReadOnlyList<FakePoeRequest> requests) =>
        [.. requests.Zip(requests.Skip(1), (a, b) => (b.At - a.At).TotalSeconds)];

    private static string Format(List<double> gaps) => string.Join(" ", gaps.Select(g => g.ToString("F2", CultureInfo.InvariantCulture)));
}
