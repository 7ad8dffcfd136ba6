using System.Net;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Tests.Support;
using StandardWebhooks;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class RetryTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    [Fact]
    public async Task A_receiver_that_fails_twice_gets_three_signed_attempts_with_one_webhook_id_all_listed_by_the_events_endpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Status(500), WebhookReceiver.Status(500));
        var watchId = await Shop.CreateWatchAsync("video_flaky", receiver.Url);

        var eventId = await StoreEventAsync(watchId);
        var attempts = await receiver.WaitForAsync(3);

        Assert.All(attempts, a => Assert.Equal(eventId, a.Header("webhook-id")));
        Assert.All(attempts, a => new StandardWebhook(Fixture.Shop.SigningSecret).Verify(a.Body, a.Headers));
        Assert.Single(attempts.Select(a => a.Body).Distinct());
        Assert.All(attempts.Zip(attempts.Skip(1)), pair => Assert.True(pair.Second.ReceivedAt - pair.First.ReceivedAt >= DeliveryBridge.RetryStep * 0.8));
        var listed = await WaitForEventAsync(watchId, e => Status(e) == "delivered");
        Assert.Equal(eventId, listed.GetProperty("id").GetString());
        Assert.Equal([500, 500, 204], StatusCodes(listed));
        var recorded = listed.GetProperty("delivery").GetProperty("attempts");
        Assert.All(recorded.EnumerateArray(), a => Assert.True(a.GetProperty("duration_ms").GetInt32() >= 0 && a.GetProperty("at").GetInt64() > 0));
        Assert.Equal("HTTP 500.", recorded[0].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, recorded[2].GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("delivery").GetProperty("next_attempt_at").ValueKind);
        await Task.Delay(DeliveryBridge.RetryStep * 3);
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task After_the_schedule_the_event_is_failed_and_a_redelivery_makes_a_new_attempt_at_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(answer: WebhookReceiver.Status(503));
        var watchId = await Shop.CreateWatchAsync("video_dead", receiver.Url);

        var eventId = await StoreEventAsync(watchId);
        var dead = await WaitForEventAsync(watchId, e => Status(e) == "failed");

        Assert.Equal(Enumerable.Repeat(503, DeliveryBridge.ScheduleLength + 1), StatusCodes(dead));
        Assert.Equal(JsonValueKind.Null, dead.GetProperty("delivery").GetProperty("next_attempt_at").ValueKind);
        await Task.Delay(DeliveryBridge.RetryStep * 3);
        Assert.Equal(DeliveryBridge.ScheduleLength + 1, receiver.Received.Count);

        receiver.AnswerByDefault(WebhookReceiver.NoContent);
        var asked = DateTimeOffset.UtcNow;
        using var redeliver = await Shop.PostAsync(new Uri($"/v1/events/{eventId}/redeliver", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var again = (await receiver.WaitForAsync(DeliveryBridge.ScheduleLength + 2))[^1];
        Assert.True(again.ReceivedAt - asked < TimeSpan.FromSeconds(1), $"redelivered after {(again.ReceivedAt - asked).TotalMilliseconds} ms");
        Assert.Equal(eventId, again.Header("webhook-id"));
        var delivered = await WaitForEventAsync(watchId, e => Status(e) == "delivered");
        Assert.Equal([.. Enumerable.Repeat(503, DeliveryBridge.ScheduleLength + 1), 204], StatusCodes(delivered));
    }

    [Fact]
    public async Task A_dead_event_is_among_the_dashboards_failed_jobs_and_requeuing_that_job_redelivers_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(answer: WebhookReceiver.Status(500));
        var watchId = await Shop.CreateWatchAsync("video_dead_in_dashboard", receiver.Url);
        var eventId = await StoreEventAsync(watchId);
        await WaitForEventAsync(watchId, e => Status(e) == "failed");

        var monitoring = Bridge.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var (jobId, job) = await UntilAsync(
            () => monitoring.FailedJobs(0, 50).Where(j => j.Value.Job?.Args[0] as string == eventId).Select(j => Tuple.Create(j.Key, j.Value)).FirstOrDefault(),
            "the dead event's failed job");
        Assert.Contains(eventId, job.ExceptionMessage, StringComparison.Ordinal);
        Assert.Contains("HTTP 500.", job.ExceptionMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Url, job.ExceptionMessage, StringComparison.Ordinal);

        receiver.AnswerByDefault(WebhookReceiver.NoContent);
        Assert.True(Bridge.Services.GetRequiredService<IBackgroundJobClient>().Requeue(jobId));

        var delivered = await WaitForEventAsync(watchId, e => Status(e) == "delivered");
        Assert.Equal(204, StatusCodes(delivered)[^1]);
    }

    [Fact]
    public async Task Another_clients_event_cannot_be_redelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var watchId = await Shop.CreateWatchAsync("video_private", receiver.Url);
        var eventId = await StoreEventAsync(watchId);
        using var rotating = Bridge.ClientFor(Fixture.Rotating);

        using var response = await rotating.PostAsync(new Uri($"/v1/events/{eventId}/redeliver", UriKind.Relative), content: null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
