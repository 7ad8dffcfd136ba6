using Hangfire;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Delivery;

/// <summary>The once-a-second recurring job that delivers every due webhook.</summary>
[Queue("delivery")]
[AutomaticRetry(Attempts = 0)]
[ShortLivedJob]
public sealed class DeliveryTickJob
{
    public const string RecurringJobId = "bridge:deliver-due-webhooks";

    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
