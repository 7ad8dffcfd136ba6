using Hangfire;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// The once-a-second recurring job that delivers every due webhook. Firings relay one another (see
/// <see cref="DeliveryPump"/>), so some pump is always awake to attempt a newly stored event within a fraction of a second.
/// </summary>
[Queue("delivery")]
[AutomaticRetry(Attempts = 0)]
[ShortLivedJob]
public sealed class DeliveryTickJob(DeliveryPump pump)
{
    public const string RecurringJobId = "bridge:deliver-due-webhooks";

    public static readonly TimeSpan PumpWindow = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pump.PumpAsync(PumpWindow, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: attempts in flight are InFlightDeliveries' to finish or abandon.
        }
    }
}
