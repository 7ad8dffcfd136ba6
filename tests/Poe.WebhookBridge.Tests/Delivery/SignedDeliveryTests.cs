using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Support;
using StandardWebhooks;

namespace Poe.WebhookBridge.Tests.Delivery;

public sealed class SignedDeliveryTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    [Fact]
    public async Task A_stored_event_is_posted_within_a_second_with_the_standard_headers_and_a_signature_the_StandardWebhooks_verifier_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var watchId = await Shop.CreateWatchAsync("video_signed", receiver.Url);

        var stored = DateTimeOffset.UtcNow;
        var eventId = await StoreEventAsync(watchId);
        var webhook = (await receiver.WaitForAsync(1))[0];

        Assert.True(webhook.ReceivedAt - stored < TimeSpan.FromSeconds(1), $"first attempt after {(webhook.ReceivedAt - stored).TotalMilliseconds} ms");
        var payload = await Bridge.Database.QueryAsync(db => db.WebhookEvents.Where(e => e.Id == eventId).Select(e => e.Payload).SingleAsync());
        Assert.Equal("POST", webhook.Method);
        Assert.Equal("/hooks/poe", webhook.Path);
        Assert.Equal(payload, webhook.Body);
        Assert.Equal("application/json", webhook.Header("Content-Type"));
        Assert.Equal("Poe-WebhookBridge/0.1.0", webhook.Header("User-Agent"));
        Assert.Equal(eventId, webhook.Header("webhook-id"));
        Assert.InRange(long.Parse(webhook.Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture),
            stored.ToUnixTimeSeconds() - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Matches("^v1,[A-Za-z0-9+/]{43}=$", webhook.Header("webhook-signature"));

        new StandardWebhook(Fixture.Shop.SigningSecret).Verify(webhook.Body, webhook.Headers);
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(
            () => new StandardWebhook(TestClient.NewSigningSecret()).Verify(webhook.Body, webhook.Headers));

        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal(eventId, body.RootElement.GetProperty("id").GetString());
        Assert.Equal("video_signed", body.RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(watchId, body.RootElement.GetProperty("watch").GetProperty("id").GetString());
        Assert.Equal("delivered", Status(await WaitForEventAsync(watchId, e => Status(e) == "delivered")));
    }

    [Fact]
    public async Task During_a_secret_rotation_each_of_the_two_signatures_verifies_with_its_own_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var rotating = Bridge.ClientFor(Fixture.Rotating);
        var watchId = await rotating.CreateWatchAsync("video_rotation", receiver.Url);

        await StoreEventAsync(watchId);
        var webhook = (await receiver.WaitForAsync(1))[0];

        // StandardWebhooks 1.1.2 checks only some of several signatures, so each is verified on its own.
        var signatures = webhook.Header("webhook-signature").Split(' ');
        Assert.Equal(2, signatures.Length);
        new StandardWebhook(Fixture.Rotating.SigningSecret).Verify(webhook.Body, WithSignature(webhook.Headers, signatures[0]));
        new StandardWebhook(Fixture.RotatingPreviousSecret).Verify(webhook.Body, WithSignature(webhook.Headers, signatures[1]));
    }

    private static HeaderDictionary WithSignature(IHeaderDictionary headers, string signature)
    {
        var copy = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            copy[name] = value;
        }

        copy["webhook-signature"] = signature;
        return copy;
    }
}
