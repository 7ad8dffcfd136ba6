using System.Net;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Delivery.Recovery;
using Poe.WebhookBridge.Tests.Support;
using StandardWebhooks;

namespace Poe.WebhookBridge.Tests.Delivery.Recovery;

public sealed class RecoveryTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    private static readonly DateTimeOffset Since = DateTimeOffset.UtcNow.AddDays(-3);
    private static readonly DateTimeOffset Until = Since.AddHours(1);

    [Fact]
    public async Task Recovering_a_range_delivers_each_of_its_200_dead_events_on_two_endpoints_exactly_once_and_leaves_the_rest_dead()
    {
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        var firstWatch = await Shop.CreateWatchAsync("video_recovered_1", first.Url);
        var secondWatch = await Shop.CreateWatchAsync("video_recovered_2", second.Url);
        var inRange = (await DeadEvents.SeedAsync(Bridge, firstWatch, 100, Since)).Concat(await DeadEvents.SeedAsync(Bridge, secondWatch, 100, Since.AddMinutes(30))).ToList();
        var before = await DeadEvents.SeedAsync(Bridge, firstWatch, 3, Since.AddSeconds(-5));
        var after = await DeadEvents.SeedAsync(Bridge, secondWatch, 3, Until.AddSeconds(1));

        using var response = await RecoverAsync($$"""{"since":{{Since.ToUnixTimeSeconds()}},"until":{{Until.ToUnixTimeSeconds()}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        var id = accepted.GetProperty("id").GetString()!;
        Assert.StartsWith("rcv_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/recoveries/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("running", accepted.GetProperty("status").GetString());
        Assert.Equal(200, accepted.GetProperty("matched").GetInt32());
        var done = await UntilCompletedAsync(id);
        Assert.Equal(200, done.GetProperty("matched").GetInt32());
        Assert.Equal(200, done.GetProperty("queued").GetInt32());

        var received = (await first.WaitForAsync(100)).Concat(await second.WaitForAsync(100)).ToList();
        Assert.Equal(inRange.Order(StringComparer.Ordinal), received.Select(w => w.Header("webhook-id")).Order(StringComparer.Ordinal));
        Assert.All(received, w => new StandardWebhook(Fixture.Shop.SigningSecret).Verify(w.Body, w.Headers));
        await Eventually.TrueAsync(async () => (await StatusesAsync(inRange)).All(s => s == DeliveryStatus.Delivered), TimeSpan.FromSeconds(10), "every recovered event to be delivered");
        Assert.All(await StatusesAsync([.. before, .. after]), s => Assert.Equal(DeliveryStatus.Failed, s));
        await Task.Delay(DeliveryBridge.RetryStep * 3);
        Assert.Equal(200, first.Received.Count + second.Received.Count);

        // The operator sees the recovery among the dashboard's jobs, by its id only.
        var monitoring = Bridge.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => Task.FromResult(monitoring.SucceededJobs(0, 100).Any(j => j.Value.Job?.Type == typeof(RecoveryJob) && j.Value.Job.Args[0] as string == id)),
            TimeSpan.FromSeconds(10), "the recovery job to be listed as succeeded");
    }

    [Fact]
    public async Task Two_overlapping_recoveries_send_no_event_twice_and_one_can_be_limited_to_an_endpoint()
    {
        await using var slow = await WebhookReceiver.StartAsync(answer: async (context, aborted) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), aborted);
            context.Response.StatusCode = 204;
        });
        await using var other = await WebhookReceiver.StartAsync();
        var slowWatch = await Shop.CreateWatchAsync("video_overlap", slow.Url);
        var otherWatch = await Shop.CreateWatchAsync("video_elsewhere", other.Url);
        await StoreEventAsync(slowWatch);
        await slow.WaitForAsync(1);
        var dead = await DeadEvents.SeedAsync(Bridge, slowWatch, 150, Since);
        var elsewhere = await DeadEvents.SeedAsync(Bridge, otherWatch, 5, Since);
        var endpoint = await Eventually.ValueAsync(async () => (await Shop.GetJsonAsync("/v1/endpoints")).GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("id").GetString()).FirstOrDefault(), TimeSpan.FromSeconds(5), "the endpoint of the first delivery");

        using var firstResponse = await RecoverAsync($$"""{"since":{{Since.ToUnixTimeSeconds()}},"endpoint":"{{endpoint}}"}""");
        using var secondResponse = await RecoverAsync($$"""{"since":{{Since.ToUnixTimeSeconds() - 60}},"until":{{Until.ToUnixTimeSeconds()}},"endpoint":"{{endpoint}}"}""");

        Assert.Equal(HttpStatusCode.Accepted, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, secondResponse.StatusCode);
        var firstDone = await UntilCompletedAsync((await firstResponse.ReadJsonAsync()).GetProperty("id").GetString()!);
        var secondDone = await UntilCompletedAsync((await secondResponse.ReadJsonAsync()).GetProperty("id").GetString()!);
        Assert.Equal(150, firstDone.GetProperty("matched").GetInt32());
        Assert.Equal(150, firstDone.GetProperty("queued").GetInt32() + secondDone.GetProperty("queued").GetInt32());
        var received = (await slow.WaitForAsync(151)).Skip(1).Select(w => w.Header("webhook-id")).ToList();
        Assert.Equal(dead.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        await Task.Delay(DeliveryBridge.RetryStep * 3);
        Assert.Equal(151, slow.Received.Count);
        Assert.Empty(other.Received);
        Assert.All(await StatusesAsync(elsewhere), s => Assert.Equal(DeliveryStatus.Failed, s));
    }

    [Fact]
    public async Task Another_clients_recovery_is_not_found()
    {
        using var response = await RecoverAsync($$"""{"since":{{Since.ToUnixTimeSeconds()}}}""");
        var id = (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
        using var rotating = Bridge.ClientFor(Fixture.Rotating);

        using var other = await rotating.GetAsync(new Uri($"/v1/recoveries/{id}", UriKind.Relative));

        await other.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await UntilCompletedAsync(id)).GetProperty("matched").GetInt32());
    }

    private async Task<HttpResponseMessage> RecoverAsync(string body) =>
        await Shop.PostAsync(new Uri("/v1/events/recover", UriKind.Relative), Http.Json(body));

    private async Task<JsonElement> UntilCompletedAsync(string id)
    {
        JsonElement recovery = default;
        await Eventually.TrueAsync(async () => (recovery = await Shop.GetJsonAsync($"/v1/recoveries/{id}")).GetProperty("status").GetString() == "completed",
            TimeSpan.FromSeconds(30), $"recovery {id} to complete");
        return recovery;
    }

    private Task<List<string>> StatusesAsync(List<string> ids) =>
        Bridge.Database.QueryAsync(db => db.WebhookEvents.Where(e => ids.Contains(e.Id)).Select(e => e.Status).ToListAsync());
}
