using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(Options.Create(new WebhooksOptions { RetrySchedule = [.. WebhooksOptions.DefaultRetrySchedule] }));

    [Fact]
    public void Each_delay_is_the_scheduled_one_within_20_percent()
    {
        for (var attempt = 1; attempt <= WebhooksOptions.DefaultRetrySchedule.Count; attempt++)
        {
            var scheduled = WebhooksOptions.DefaultRetrySchedule[attempt - 1];
            var delays = Enumerable.Range(0, 200).Select(_ => Policy.DelayAfter(attempt, retryAfter: null)!.Value).ToList();

            Assert.All(delays, d => Assert.InRange(d, scheduled * 0.8, scheduled * 1.2));
            Assert.True(delays.Distinct().Count() > 1, "the delays are jittered");
        }
    }

    [Fact]
    public void After_the_last_scheduled_attempt_the_event_is_dead()
    {
        Assert.NotNull(Policy.DelayAfter(WebhooksOptions.DefaultRetrySchedule.Count, retryAfter: null));
        Assert.Null(Policy.DelayAfter(WebhooksOptions.DefaultRetrySchedule.Count + 1, retryAfter: null));
    }

    [Fact]
    public void Retry_After_is_clamped_between_the_schedule_and_twice_it()
    {
        // The first scheduled delay is 5 s: a consumer can slow us down to 10 s at most, and never hurry us.
        Assert.InRange(Policy.DelayAfter(1, TimeSpan.FromSeconds(1))!.Value, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        Assert.Equal(TimeSpan.FromSeconds(8), Policy.DelayAfter(1, TimeSpan.FromSeconds(8)));
        Assert.Equal(TimeSpan.FromSeconds(10), Policy.DelayAfter(1, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Retry_After_counts_only_on_429_and_503_as_seconds_or_a_date()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.RetryAfterOf(429, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.RetryAfterOf(503, new RetryConditionHeaderValue(now.AddSeconds(30)), now));
        Assert.Null(RetryPolicy.RetryAfterOf(500, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now));
        Assert.Null(RetryPolicy.RetryAfterOf(429, null, now));
    }
}
