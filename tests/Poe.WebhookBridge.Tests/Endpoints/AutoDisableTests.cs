using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Endpoints;

[Collection(EndpointHealthCollectionDefinition.Name)]
public sealed partial class AutoDisableTests(EndpointHealthBridge fixture) : IAsyncLifetime
{
    private const int HeldBacklog = DeliveryCapacity.MaxPerHost * 3;

    private readonly HttpClient _shop = fixture.Bridge.ClientFor(fixture.Shop);

    public Task InitializeAsync() => fixture.Bridge.Database.ResetAsync();

    public Task DisposeAsync()
    {
        _shop.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_endpoint_failing_every_attempt_for_the_period_is_disabled_holds_its_events_and_delivers_them_all_once_when_enabled()
    {
        await using var down = await WebhookReceiver.StartAsync(answer: WebhookReceiver.Status(500));
        await using var healthy = await WebhookReceiver.StartAsync();
        var downWatch = await _shop.CreateWatchAsync("video_down", down.Url);
        var healthyWatch = await _shop.CreateWatchAsync("video_healthy", healthy.Url);

        var first = await DeliveryBridge.StoreEventAsync(fixture.Bridge, downWatch);
        var firstAttempt = (await down.WaitForAsync(1))[0];
        JsonElement endpoint = default;
        await Eventually.TrueAsync(
            async () => await EndpointOfAsync(down.Url) is { } e && (endpoint = e).GetProperty("failed_last_24h").GetInt64() == 1,
            TimeSpan.FromSeconds(5), "the failed attempt to be counted");
        Assert.Equal("enabled", endpoint.GetProperty("status").GetString());
        Assert.True(endpoint.GetProperty("failing_since").GetInt64() >= firstAttempt.ReceivedAt.ToUnixTimeSeconds());

        // The period passes on a single failed attempt: one is not a streak.
        await Task.Delay(firstAttempt.ReceivedAt + EndpointHealthBridge.DisableAfter + TimeSpan.FromMilliseconds(200) - DateTimeOffset.UtcNow);
        Assert.Single(down.Received);
        Assert.Equal("enabled", (await EndpointOfAsync(down.Url))?.GetProperty("status").GetString());

        // The second failed attempt, past the period, disables it.
        var id = endpoint.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(async () => (await _shop.GetJsonAsync($"/v1/endpoints/{id}")).GetProperty("status").GetString() == "disabled",
            EndpointHealthBridge.FirstRetry * 2, "the endpoint to be disabled");
        Assert.Equal(2, down.Received.Count);
        Assert.True(down.Received[1].ReceivedAt - firstAttempt.ReceivedAt >= EndpointHealthBridge.DisableAfter);
        Assert.Equal("held", await StatusOfAsync(downWatch, first));

        // Nothing more is sent to it; new events for it are held; the client's other endpoint keeps delivering.
        var later = new List<string>();
        for (var i = 0; i < HeldBacklog; i++)
        {
            later.Add(await DeliveryBridge.StoreEventAsync(fixture.Bridge, downWatch));
        }

        var elsewhere = await DeliveryBridge.StoreEventAsync(fixture.Bridge, healthyWatch);
        Assert.Equal(elsewhere, (await healthy.WaitForAsync(1))[0].Header("webhook-id"));
        await Task.Delay(EndpointHealthBridge.RetryStep * 4);
        Assert.Equal(2, down.Received.Count);
        foreach (var held in later)
        {
            Assert.Equal("held", await StatusOfAsync(downWatch, held));
        }

        // A redelivery asked for meanwhile is held too.
        using (var redeliver = await _shop.PostAsync(new Uri($"/v1/events/{first}/redeliver", UriKind.Relative), content: null))
        {
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        Assert.Equal("held", await StatusOfAsync(downWatch, first));
        await Eventually.TrueAsync(async () => DisabledGauge().IsMatch(await _shop.GetStringAsync(new Uri("/metrics", UriKind.Relative))),
            TimeSpan.FromSeconds(10), "bridge_endpoints_disabled to count the endpoint");

        var disabled = await _shop.GetJsonAsync($"/v1/endpoints/{id}");
        Assert.Equal(HeldBacklog + 1, disabled.GetProperty("pending").GetInt64());
        Assert.Equal(0, disabled.GetProperty("failed").GetInt64());
        Assert.Single(fixture.Logs.Entries, l => l.Level == LogLevel.Warning && l.Message.Contains("disabled", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Entries, l => l.Message.Contains(down.Url, StringComparison.Ordinal));

        // Enabled, it gets every held event once, at once, never more at a time than the per-host cap.
        down.AnswerByDefault(async (context, aborted) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), aborted);
            context.Response.StatusCode = 204;
        });
        var enabledAt = DateTimeOffset.UtcNow;
        using var enable = await _shop.PostAsync(new Uri($"/v1/endpoints/{id}/enable", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.Equal("enabled", (await enable.ReadJsonAsync()).GetProperty("status").GetString());

        var burst = (await down.WaitForAsync(2 + HeldBacklog + 1, TimeSpan.FromSeconds(15))).Skip(2).ToList();
        Assert.Equal([.. later.Append(first).Order(StringComparer.Ordinal)], [.. burst.Select(w => w.Header("webhook-id")).Order(StringComparer.Ordinal)]);
        Assert.InRange(down.MaxConcurrentRequests, 2, DeliveryCapacity.MaxPerHost);
        Assert.True(burst[^1].ReceivedAt - enabledAt < TimeSpan.FromSeconds(5), $"the held events took {(burst[^1].ReceivedAt - enabledAt).TotalMilliseconds} ms");
        await Task.Delay(EndpointHealthBridge.RetryStep * 4);
        Assert.Equal(2 + HeldBacklog + 1, down.Received.Count);
    }

    /// <summary>The endpoint of this callback as <c>GET /v1/endpoints</c> lists it, or null before its first attempt is stored.</summary>
    private async Task<JsonElement?> EndpointOfAsync(string callbackUrl)
    {
        var origin = new Uri(callbackUrl).GetLeftPart(UriPartial.Authority);
        var list = await _shop.GetJsonAsync("/v1/endpoints");
        return list.GetProperty("data").EnumerateArray().Where(e => e.GetProperty("url").GetString() == origin).Select(e => (JsonElement?)e).SingleOrDefault();
    }

    [GeneratedRegex(@"^bridge_endpoints_disabled(\{[^}]*\})? 1( |$)", RegexOptions.Multiline)]
    private static partial Regex DisabledGauge();

    private async Task<string> StatusOfAsync(string watchId, string eventId)
    {
        var events = await _shop.GetJsonAsync($"/v1/watches/{watchId}/events");
        return events.GetProperty("data").EnumerateArray().Single(e => e.GetProperty("id").GetString() == eventId)
            .GetProperty("delivery").GetProperty("status").GetString()!;
    }
}
