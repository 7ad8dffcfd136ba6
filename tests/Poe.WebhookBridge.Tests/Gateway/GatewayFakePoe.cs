using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Tests.Polling;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Gateway;

/// <summary>A bridge in front of a <see cref="FakePoe"/> whose create answers each test scripts (xunit class fixture).</summary>
public sealed class GatewayFakePoe : IAsyncLifetime
{
    /// <summary>How long the bridge waits for Poe here: short, so a hanging Poe is a quick test.</summary>
    public static readonly TimeSpan PoeTimeout = TimeSpan.FromSeconds(1);

    public FakePoe Poe { get; private set; } = null!;

    public PollingBridge Bridge { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Poe = await FakePoe.StartAsync();
        Bridge = await PollingBridge.StartAsync(Poe.BaseUrl, ("Poe:Timeout", PoeTimeout.ToString()));
    }

    public async Task DisposeAsync()
    {
        await Bridge.DisposeAsync();
        await Poe.DisposeAsync();
    }

    /// <summary>POSTs a gateway request as the shop app, with an Idempotency-Key when given.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Bridge.Shop.SendAsync(request);
    }

    public Task<int> WatchCountAsync() => Bridge.Database.QueryAsync(db => db.Watches.CountAsync());

    public int PostsTo(string path) => Poe.Requests.Count(r => r.VideoId == FakePoe.Post(path));
}
