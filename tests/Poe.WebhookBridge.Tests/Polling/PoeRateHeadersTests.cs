using System.Net.Http.Headers;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>How Poe's rate headers are read: <c>x-ratelimit-*</c> durations as OpenAI-style APIs write them, and <c>Retry-After</c>.</summary>
public sealed class PoeRateHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, double> Durations => new()
    {
        { "1s", 1 },
        { "0s", 0 },
        { "250ms", 0.25 },
        { "12.5s", 12.5 },
        { "6m0s", 360 },
        { "1m30s", 90 },
        { "1h2m3.5s", 3723.5 },
        { "2", 2 },
        { "1.5", 1.5 },
        { " 3s ", 3 },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void A_reset_duration_is_read_in_Go_duration_format_or_as_plain_seconds(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PoeRateHeaders.ParseDuration(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("5x")]
    [InlineData("1s later")]
    [InlineData("s")]
    public void A_reset_duration_that_is_not_one_is_ignored(string? value) => Assert.Null(PoeRateHeaders.ParseDuration(value));

    [Fact]
    public void Retry_After_in_seconds_is_a_delay()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("Retry-After", "3");

        Assert.Equal(TimeSpan.FromSeconds(3), PoeRateHeaders.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_the_time_until_then_and_a_past_date_is_no_wait()
    {
        using var future = new HttpResponseMessage();
        future.Headers.Add("Retry-After", "Sun, 29 Nov 2026 12:00:07 GMT");
        using var past = new HttpResponseMessage();
        past.Headers.Add("Retry-After", "Sun, 29 Nov 2026 11:59:00 GMT");

        Assert.Equal(TimeSpan.FromSeconds(7), PoeRateHeaders.RetryAfter(future.Headers, Now));
        Assert.Equal(TimeSpan.Zero, PoeRateHeaders.RetryAfter(past.Headers, Now));
    }

    [Fact]
    public void No_Retry_After_is_no_hint()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(PoeRateHeaders.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void The_remaining_requests_and_the_reset_are_read_together()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("x-ratelimit-limit-requests", "500");
        response.Headers.Add("x-ratelimit-remaining-requests", "0");
        response.Headers.Add("x-ratelimit-reset-requests", "1m0s");

        Assert.Equal(new PoeRateHints(0, TimeSpan.FromMinutes(1)), PoeRateHeaders.Read(response.Headers));
    }

    [Fact]
    public void Missing_or_garbled_rate_headers_are_no_hints()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining-requests", "many");

        Assert.Equal(new PoeRateHints(null, null), PoeRateHeaders.Read(response.Headers));
    }
}
