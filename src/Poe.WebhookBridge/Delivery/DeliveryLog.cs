namespace Poe.WebhookBridge.Delivery;

/// <summary>Delivery's log lines: events and watches by id, callbacks by host only (a URL may carry a consumer's token).</summary>
internal static partial class DeliveryLog
{
    public static void Attempted(ILogger logger, AttemptWriteback writeback)
    {
        var (e, r) = (writeback.Event, writeback.Result);
        var attempt = e.AttemptCount + 1;
        var durationMs = (long)r.Duration.TotalMilliseconds;
        if (r.Delivered)
        {
            Delivered(logger, e.Id, e.WatchId, e.CallbackHost, r.StatusCode, attempt, durationMs);
        }
        else if (r.Gone)
        {
            Gone(logger, e.Id, e.WatchId, e.CallbackHost);
        }
        else if (writeback.IsDead)
        {
            Dead(logger, e.Id, e.WatchId, e.CallbackHost, r.Outcome, r.Error, attempt);
        }
        else
        {
            WillRetry(logger, e.Id, e.WatchId, e.CallbackHost, r.Outcome, r.Error, attempt, writeback.NextAttemptAt);
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information,
        Message = "Webhook {EventId} of watch {WatchId} delivered to {CallbackHost}: HTTP {StatusCode} on attempt {Attempt} in {DurationMs} ms")]
    private static partial void Delivered(ILogger logger, string eventId, string watchId, string callbackHost, int? statusCode, int attempt, long durationMs);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Webhook {EventId} of watch {WatchId} to {CallbackHost} failed ({Outcome}: {Error}) on attempt {Attempt}; next attempt at {NextAttemptAt}")]
    private static partial void WillRetry(ILogger logger, string eventId, string watchId, string callbackHost, string outcome, string? error, int attempt, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error,
        Message = "Webhook {EventId} of watch {WatchId} to {CallbackHost} failed ({Outcome}: {Error}) on attempt {Attempt}, the last of the schedule; the event is dead until redelivered")]
    private static partial void Dead(ILogger logger, string eventId, string watchId, string callbackHost, string outcome, string? error, int attempt);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Webhook {EventId} of watch {WatchId}: {CallbackHost} answered 410 Gone; no more retries, and the watch is cancelled if still active")]
    private static partial void Gone(ILogger logger, string eventId, string watchId, string callbackHost);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Webhook {EventId} of watch {WatchId} to {CallbackHost}: the attempt crashed; it is retried when its lease expires")]
    public static partial void AttemptCrashed(ILogger logger, string eventId, string watchId, string callbackHost, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Shutting down with {Count} webhook attempts still in flight; they are retried when their leases expire")]
    public static partial void AttemptsCutOff(ILogger logger, int count);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Storing {Count} webhook attempts failed (try {Try}); trying again")]
    public static partial void WritebackRetried(ILogger logger, int count, int @try, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Storing {Count} webhook attempts failed; their events are attempted again when their leases expire")]
    public static partial void WritebackFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Dead webhook {EventId} could not be listed in the dashboard's failed jobs")]
    public static partial void DeadNotReported(ILogger logger, string eventId, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "Claiming due webhooks failed; trying again shortly")]
    public static partial void ClaimFailed(ILogger logger, Exception exception);
}
