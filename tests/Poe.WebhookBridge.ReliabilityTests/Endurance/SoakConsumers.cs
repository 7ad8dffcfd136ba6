using System.Collections.Concurrent;
using System.Net;
using Poe.WebhookBridge.Tests.Delivery;

namespace Poe.WebhookBridge.ReliabilityTests.Endurance;

/// <summary>
/// The consumers of a soak, each on its own loopback address (a distinct host to the bridge): healthy (the cluster's
/// receiver), slow (answers 204 after half a second), failing (500), hanging (never answers) and gone (410).
/// </summary>
public sealed class SoakConsumers : IAsyncDisposable
{
    public static readonly TimeSpan SlowAnswer = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, bool> _late;

    private SoakConsumers(ConcurrentDictionary<string, bool> late, WebhookReceiver slow, WebhookReceiver failing, WebhookReceiver hanging, WebhookReceiver gone) =>
        (_late, Slow, Failing, Hanging, Gone) = (late, slow, failing, hanging, gone);

    public WebhookReceiver Slow { get; }

    public WebhookReceiver Failing { get; }

    public WebhookReceiver Hanging { get; }

    public WebhookReceiver Gone { get; }

    /// <summary>Webhook ids the slow consumer answered after the bridge had given up on the attempt: a retry of one is no duplicate to explain away.</summary>
    public bool AnsweredLate(string webhookId) => _late.ContainsKey(webhookId);

    public static async Task<SoakConsumers> StartAsync()
    {
        var late = new ConcurrentDictionary<string, bool>();
        var slow = await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.12"), async (context, aborted) =>
        {
            try
            {
                await Task.Delay(SlowAnswer, aborted);
                context.Response.StatusCode = 204;
            }
            catch (OperationCanceledException)
            {
                late[context.Request.Headers["webhook-id"].ToString()] = true;
                throw;
            }
        });
        return new SoakConsumers(
            late,
            slow,
            await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.13"), WebhookReceiver.Status(500)),
            await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.14"), WebhookReceiver.Hang),
            await WebhookReceiver.StartAsync(IPAddress.Parse("127.0.0.15"), WebhookReceiver.Status(410)));
    }

    public async ValueTask DisposeAsync()
    {
        await Slow.DisposeAsync();
        await Failing.DisposeAsync();
        await Hanging.DisposeAsync();
        await Gone.DisposeAsync();
    }
}
