using System.Net;
using Poe.Simulator.RateLimiting;

namespace Poe.Simulator.Tests.RateLimiting;

public sealed class RateLimitTests
{
    [Fact]
    public async Task The_request_after_the_budget_is_429_with_Retry_After_until_a_slot_frees()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.RequestsPerMinute = 3);
        sim.Videos.Create(new() { Id = "v1" });

        for (var i = 0; i < 3; i++)
        {
            using var ok = await sim.PollAsync("v1");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            sim.Time.Advance(TimeSpan.FromSeconds(10));
        }
        using var limited = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("30", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal("0", Header(limited, RateLimitHeaders.Remaining));
        Assert.Equal("30s", Header(limited, RateLimitHeaders.Reset));
    }

    [Fact]
    public async Task A_limited_key_recovers_when_its_oldest_request_leaves_the_window()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.RequestsPerMinute = 2);
        sim.Videos.Create(new() { Id = "v1" });
        (await sim.PollAsync("v1")).Dispose();
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        (await sim.PollAsync("v1")).Dispose();

        sim.Time.Advance(TimeSpan.FromSeconds(29.5));
        using var stillLimited = await sim.PollAsync("v1");
        sim.Time.Advance(TimeSpan.FromSeconds(0.5));
        using var recovered = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);
        Assert.Equal("1", stillLimited.Headers.GetValues("Retry-After").Single());
        Assert.Equal("500ms", Header(stillLimited, RateLimitHeaders.Reset));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Every_answer_reports_limit_remaining_and_reset()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.RequestsPerMinute = 10);
        sim.Videos.Create(new() { Id = "v1" });

        using var first = await sim.PollAsync("v1");
        sim.Time.Advance(TimeSpan.FromSeconds(12.5));
        using var notFound = await sim.PollAsync("nope");

        Assert.Equal("10", Header(first, RateLimitHeaders.Limit));
        Assert.Equal("9", Header(first, RateLimitHeaders.Remaining));
        Assert.Equal("1m0s", Header(first, RateLimitHeaders.Reset));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("8", Header(notFound, RateLimitHeaders.Remaining));
        Assert.Equal("47.5s", Header(notFound, RateLimitHeaders.Reset));
    }

    [Fact]
    public async Task Rejected_401s_and_429s_do_not_use_the_budget_but_404s_do()
    {
        await using var sim = await RunningSimulator.StartAsync(o =>
        {
            o.RequestsPerMinute = 2;
            o.ApiKeys = [RunningSimulator.Key];
        });
        sim.Videos.Create(new() { Id = "v1" });
        using var stranger = sim.CreateClient("stranger");

        (await stranger.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative))).Dispose();
        using var notFound = await sim.PollAsync("nope");
        using var ok = await sim.PollAsync("v1");
        using var limited1 = await sim.PollAsync("v1");
        using var limited2 = await sim.PollAsync("v1");
        sim.Time.Advance(TimeSpan.FromSeconds(60));
        using var afterWindow = await sim.PollAsync("v1");

        Assert.Equal("1", Header(notFound, RateLimitHeaders.Remaining));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterWindow.StatusCode);
        Assert.Equal("1", Header(afterWindow, RateLimitHeaders.Remaining));
    }

    [Fact]
    public async Task Each_key_has_its_own_budget()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.RequestsPerMinute = 1);
        sim.Videos.Create(new() { Id = "v1" });
        using var other = sim.CreateClient("other-key");

        using var first = await sim.PollAsync("v1");
        using var second = await sim.PollAsync("v1");
        using var otherKey = await other.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task A_burst_of_concurrent_polls_gets_exactly_the_budget_through()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.RequestsPerMinute = 20);
        sim.Videos.Create(new() { Id = "v1" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => sim.PollAsync("v1")));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(30, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var response in responses)
            response.Dispose();
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.2504, "251ms")]
    [InlineData(1, "1s")]
    [InlineData(12.5, "12.5s")]
    [InlineData(59.999, "59.999s")]
    [InlineData(60, "1m0s")]
    [InlineData(75.25, "1m15.25s")]
    public void Reset_durations_are_formatted_like_OpenAIs_headers(double seconds, string expected) =>
        Assert.Equal(expected, RateLimitHeaders.FormatDuration(TimeSpan.FromSeconds(seconds)));

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();
}
