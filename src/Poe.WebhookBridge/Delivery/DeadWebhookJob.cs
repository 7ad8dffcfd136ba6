using Hangfire;
using Hangfire.States;
using Npgsql;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Puts a dead event (its schedule exhausted) in the dashboard's Failed jobs, with the last error as the exception;
/// requeuing it there redelivers the event, as <c>POST /v1/events/{id}/redeliver</c> does.
/// </summary>
[Queue("delivery")]
[AutomaticRetry(Attempts = 0, LogEvents = false)] // the delivery log already reported the dead event
public sealed class DeadWebhookJob(NpgsqlDataSource dataSource, DeliveryDispatcher dispatcher, TimeProvider time)
{
    /// <summary>Records the dead event as a failed job; its arguments are the event id only, never a URL or a secret.</summary>
    public static void Report(IBackgroundJobClient jobs, AttemptWriteback dead)
    {
        var (e, r) = (dead.Event, dead.Result);
        var reason = new DeadWebhookException(
            $"Webhook {e.Id} of watch {e.WatchId} to {e.CallbackHost} failed {e.AttemptCount + 1} times, the last with {r.Outcome}: {r.Error} "
            + "No more attempts are scheduled; requeue this job (or POST /v1/events/{id}/redeliver) to try again.");
        jobs.Create<DeadWebhookJob>(job => job.RedeliverAsync(e.Id, CancellationToken.None), new FailedState(reason));
    }

    public async Task RedeliverAsync(string eventId, CancellationToken cancellationToken)
    {
        await WebhookEvents.RedeliverAsync(dataSource, eventId, clientName: null, time.GetUtcNow(), cancellationToken);
        dispatcher.Wake();
    }
}
