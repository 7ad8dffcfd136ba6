using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// Owns this process's attempts in flight, so they outlive the tick that started them, and counts them per host for
/// the caps the claim respects. On shutdown they get a short grace period; what is cut off is retried when its lease expires.
/// </summary>
public sealed class InFlightDeliveries(
    IServiceProvider services, AttemptRecorder recorder, RetryPolicy retry, DeliveryDispatcher dispatcher, BridgeMetrics metrics,
    TimeProvider time, ILogger<InFlightDeliveries> logger) : IHostedService, IDisposable
{
    /// <summary>
    /// Attempts that finish before they wake the pump: a claim for every freed slot would cost a statement (locking
    /// a batch of candidates) per delivery when hosts are saturated; the pump's idle wait bounds how long a freed slot
    /// waits for the rest.
    /// </summary>
    public const int WakeAfterFreed = 8;

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byHost = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _closed;
    private int _freedSinceCapacity;

    public bool IsAccepting => !Volatile.Read(ref _closed);

    public DeliveryCapacity Capacity()
    {
        lock (_lock)
        {
            _freedSinceCapacity = 0;
            return new DeliveryCapacity(
                _closed ? 0 : DeliveryCapacity.MaxInFlight - _running.Count,
                _byHost.ToDictionary(h => h.Key, h => DeliveryCapacity.MaxPerHost - h.Value, StringComparer.Ordinal));
        }
    }

    public void Start(ClaimedEvent webhook)
    {
        Task attempt;
        lock (_lock)
        {
            _byHost[webhook.CallbackHost] = _byHost.GetValueOrDefault(webhook.CallbackHost) + 1;
            attempt = Task.Run(() => AttemptAsync(webhook));
            _running.Add(attempt);
        }

        _ = attempt.ContinueWith(Finished, webhook.CallbackHost, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_lock)
        {
            _closed = true;
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(ShutdownGrace, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await _stopping.CancelAsync();
            DeliveryLog.AttemptsCutOff(logger, running.Count(t => !t.IsCompleted));
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task AttemptAsync(ClaimedEvent webhook)
    {
        try
        {
            var result = await services.GetRequiredService<WebhookSender>().SendAsync(webhook, _stopping.Token);
            var writeback = AttemptWriteback.Decide(webhook, result, retry);
            recorder.Record(writeback);
            metrics.WebhookAttempt(result.Outcome);
            if (result.Delivered)
            {
                metrics.Delivered(time.GetUtcNow() - webhook.CreatedAt);
            }

            DeliveryLog.Attempted(logger, writeback);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            DeliveryLog.AttemptCrashed(logger, webhook.Id, webhook.WatchId, webhook.CallbackHost, ex);
        }
    }

    private void Finished(Task attempt, object? host)
    {
        bool wake;
        lock (_lock)
        {
            _running.Remove(attempt);
            var key = (string)host!;
            if (--_byHost[key] == 0)
            {
                _byHost.Remove(key);
            }

            wake = ++_freedSinceCapacity >= WakeAfterFreed || _running.Count == 0;
        }

        // Freed slots may unblock a saturated host's backlog.
        if (wake)
        {
            dispatcher.Wake();
        }
    }
}
