using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Poe.Simulator.RateLimiting;

namespace Poe.Simulator.Tests.Faults;

public sealed class FaultTests
{
    [Fact]
    public async Task A_status_fault_answers_once_with_that_status_and_a_Poe_error_then_behaves_normally()
    {
        await using var sim = await StartWithFaults(new { kind = "status", status = 503 });

        using var faulty = await sim.PollAsync("v1");
        var error = await faulty.Content.ReadFromJsonAsync<JsonElement>();
        using var normal = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulty.StatusCode);
        Assert.Equal("server_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.True(faulty.Headers.Contains(RateLimitHeaders.Remaining));
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
    }

    [Fact]
    public async Task A_garbage_fault_answers_200_with_a_body_that_is_not_json()
    {
        await using var sim = await StartWithFaults(new { kind = "garbage" });

        using var response = await sim.PollAsync("v1");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task A_truncated_fault_answers_200_with_cut_off_json()
    {
        await using var sim = await StartWithFaults(new { kind = "truncated" });

        using var response = await sim.PollAsync("v1");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("""{"id":"v1",""", body, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task An_unknown_status_fault_answers_a_video_with_status_exploding()
    {
        await using var sim = await StartWithFaults(new { kind = "unknown_status" });

        var video = await sim.PollJsonAsync("v1");

        Assert.Equal("exploding", video.GetProperty("status").GetString());
        Assert.Equal("v1", video.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_rate_limit_fault_answers_429_with_the_scripted_Retry_After_and_uses_no_budget()
    {
        await using var sim = await StartWithFaults(new { kind = "rate_limit", retry_after = "3" });

        using var limited = await sim.PollAsync("v1");
        using var next = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("3", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal("0", limited.Headers.GetValues(RateLimitHeaders.Remaining).Single());
        Assert.Equal("3s", limited.Headers.GetValues(RateLimitHeaders.Reset).Single());
        // Of 500: one for the create (Poe's create uses the budget like any request), none for the 429, one for the next poll.
        Assert.Equal("498", next.Headers.GetValues(RateLimitHeaders.Remaining).Single());
    }

    [Fact]
    public async Task A_rate_limit_fault_without_retry_after_sends_no_Retry_After_but_keeps_the_rate_limit_headers()
    {
        await using var sim = await StartWithFaults(new { kind = "rate_limit" });

        using var limited = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.False(limited.Headers.Contains("Retry-After"));
        Assert.True(limited.Headers.Contains(RateLimitHeaders.Limit));
        Assert.Equal("0", limited.Headers.GetValues(RateLimitHeaders.Remaining).Single());
        Assert.Equal("1s", limited.Headers.GetValues(RateLimitHeaders.Reset).Single());
    }

    [Fact]
    public async Task A_rate_limit_fault_without_retry_after_resets_in_a_second_however_old_the_window_is()
    {
        await using var sim = await StartWithFaults(new { kind = "status", status = 500 }, new { kind = "rate_limit" });
        using var early = await sim.PollAsync("v1");
        sim.Time.Advance(TimeSpan.FromSeconds(5));

        using var limited = await sim.PollAsync("v1");

        // The window's oldest request leaves in 55 s; a scripted 429 is not about that request.
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("1s", limited.Headers.GetValues(RateLimitHeaders.Reset).Single());
    }

    [Fact]
    public async Task A_bare_rate_limit_fault_answers_429_with_no_hint_at_all_and_uses_no_budget()
    {
        await using var sim = await StartWithFaults(new { kind = "bare_rate_limit" });

        using var limited = await sim.PollAsync("v1");
        using var next = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.False(limited.Headers.Contains("Retry-After"));
        Assert.False(limited.Headers.Contains(RateLimitHeaders.Limit));
        Assert.False(limited.Headers.Contains(RateLimitHeaders.Remaining));
        Assert.False(limited.Headers.Contains(RateLimitHeaders.Reset));
        // Of 500: one for the create (Poe's create uses the budget like any request), none for the 429, one for the next poll.
        Assert.Equal("498", next.Headers.GetValues(RateLimitHeaders.Remaining).Single());
    }

    [Fact]
    public async Task A_delay_fault_answers_normally_only_after_the_delay_has_passed()
    {
        await using var sim = await StartWithFaults(new { kind = "delay", ms = 2000 });

        var poll = sim.PollAsync("v1");
        var advanced = TimeSpan.Zero;
        while (!poll.IsCompleted && advanced < TimeSpan.FromSeconds(10))
        {
            await Task.WhenAny(poll, Task.Delay(50));
            if (poll.IsCompleted)
                break;
            sim.Time.Advance(TimeSpan.FromMilliseconds(250));
            advanced += TimeSpan.FromMilliseconds(250);
        }
        using var response = await poll;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(advanced, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_slow_drip_fault_sends_the_headers_at_once_and_the_whole_video_only_over_its_duration()
    {
        await using var sim = await StartWithFaults(new { kind = "slow_drip", ms = 2000 });

        using var response = await sim.Client.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var body = response.Content.ReadAsStringAsync();
        var advanced = TimeSpan.Zero;
        while (!body.IsCompleted && advanced < TimeSpan.FromSeconds(10))
        {
            await Task.WhenAny(body, Task.Delay(50));
            if (body.IsCompleted)
                break;
            sim.Time.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", JsonDocument.Parse(await body).RootElement.GetProperty("id").GetString());
        Assert.InRange(advanced, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_reset_fault_cuts_the_connection_without_an_answer()
    {
        await using var sim = await StartWithFaults(new { kind = "reset" });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.PollAsync("v1"));
        using var next = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(0, sim.Requests.Since().First(r => r.Operation == "poll").Status);
    }

    [Fact]
    public async Task A_not_found_fault_answers_404_once_for_an_existing_video()
    {
        await using var sim = await StartWithFaults(new { kind = "not_found" });

        using var missing = await sim.PollAsync("v1");
        using var found = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
    }

    [Fact]
    public async Task A_fault_script_is_consumed_one_entry_per_poll_in_order()
    {
        await using var sim = await StartWithFaults(
            new { kind = "status", status = 500 },
            new { kind = "not_found" },
            new { kind = "rate_limit", retry_after = "1" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await sim.PollAsync("v1");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.InternalServerError, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK],
            statuses);
    }

    private static async Task<RunningSimulator> StartWithFaults(params object[] faults)
    {
        var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", simulation = new { faults } });
        return sim;
    }
}
