using System.Net;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Watches;

/// <summary>One bad request: how to send it and the problem it must get (<see cref="Field"/>: the key its <c>errors</c> map must name).</summary>
public sealed record Rejection(HttpStatusCode Status, string? Field, Func<RejectionContext, Task<HttpResponseMessage>> Send)
{
    /// <summary>Runs before the database snapshot is taken (e.g. a first use of an Idempotency-Key).</summary>
    public Func<RejectionContext, Task>? Arrange { get; init; }
}

/// <summary>What a rejected request may need: the shared bridge, its strict twin, and a watch that belongs to <c>studio</c>.</summary>
public sealed class RejectionContext(BridgeFactory bridge, HttpClient shop, string studioWatchId)
{
    public const string Anonymous = "";

    public BridgeFactory Bridge { get; } = bridge;

    public HttpClient Shop { get; } = shop;

    public string StudioWatchId { get; } = studioWatchId;

    /// <summary>Sends as <c>shop</c>, unless <paramref name="apiKey"/> says otherwise (<see cref="Anonymous"/>: no Authorization header).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? apiKey = null,
        bool strict = false, string? idempotencyKey = null)
    {
        var factory = strict ? Bridge.Strict : Bridge;
        using var client = factory.ClientFor(apiKey == Anonymous ? null : apiKey ?? Bridge.Shop.ApiKey);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }
}
