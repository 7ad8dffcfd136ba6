using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Runs claimed polls in the background of this process, so a slow Poe answer holds only its own video and the
/// claiming loop never waits for a batch. In-flight polls are bounded; the claim loop asks for no more than fit.
/// </summary>
public sealed partial class PollRunner(
    IServiceProvider services, IServiceScopeFactory scopes, PoeKeyRing keys, PollPlanner planner, RoutinePollWriter routine, UnsentPollReleaser unsent, BridgeMetrics metrics, DeliveryDispatcher delivery,
    TimeProvider time, ILogger<PollRunner> logger)
    : IDisposable
{
    public const int MaxInFlight = 256;

    // Write-backs share the database pool with the API; a few at a time keep it available. A video's end has a lane
    // of its own: when routine write-backs queue (a loaded machine, many videos), the end is not recorded behind them.
    private readonly SemaphoreSlim _writers = new(16);
    private readonly SemaphoreSlim _terminalWriters = new(8);
    private readonly CancellationTokenSource _stopping = new();

    // When this process last logged each key's 401: polls already out when Poe rejects a key all come back 401 together.
    private readonly Dictionary<string, DateTimeOffset> _rejectionLoggedAt = new(StringComparer.Ordinal);
    private readonly Lock _rejectionGate = new();

    /// <summary>
    /// Held by the firing whose claim loops fill this runner's free room: a firing that starts while the last one's loops
    /// still claim waits for its turn, so the loops of one process never outnumber <see cref="PollTickJob.ClaimLoops"/>.
    /// </summary>
    public SemaphoreSlim ClaimTurn { get; } = new(1, 1);

    /// <summary>The room for polls in flight; claims reserve it, and each poll frees its slot when done.</summary>
    public PollSlots Slots { get; } = new(MaxInFlight, time);

    /// <summary>Runs a claimed poll in a slot its claim reserved (<see cref="PollSlots.Reserve"/>).</summary>
    public void Start(ClaimedPoll poll) => _ = Task.Run(() => RunAsync(poll));

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _writers.Dispose();
        _terminalWriters.Dispose();
        ClaimTurn.Dispose();
    }

    private async Task RunAsync(ClaimedPoll poll)
    {
        try
        {
            var sentAt = time.GetUtcNow();
            // The rate slot was taken at claim time; sending much later could squeeze two requests on one slot into 60 s.
            if (PoeBudget.MissedSendDeadline(poll, sentAt))
            {
                metrics.PollUnsent();
                unsent.Enqueue(poll);
                return;
            }

            metrics.PollLag(poll.ClaimedAt - poll.DueAt);
            var key = keys.KeyFor(poll.PoeKeyId);
            var response = key is null
                ? new PoeResponse(PoeOutcome.Unauthorized, "no_key")
                : await services.GetRequiredService<PoeClient>().GetVideoAsync(key, poll.VideoId, _stopping.Token);
            // Poe may see the request at any moment until its answer arrives (or the client gives up), so the next poll of
            // the video is timed from then: however slow this request was, Poe never sees two polls of one video closer
            // than Polling:Interval.
            var answeredAt = time.GetUtcNow();
            metrics.PoeRequest(response.Code, "poll");
            LogPolled(response, poll);

            if (RoutinePoll.IsBatchable(poll, response))
            {
                routine.Enqueue(RoutinePoll.Plan(planner, poll, response.Video!, sentAt, answeredAt));
                return;
            }

            await WriteAsync(poll, response, sentAt, answeredAt);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the claim's lease expires and another instance (or this one, restarted) polls again.
        }
        catch (Exception ex)
        {
            LogPollFailed(logger, poll.VideoId, poll.PoeKeyId, ex);
        }
        finally
        {
            Slots.Release(1);
        }
    }

    private async Task WriteAsync(ClaimedPoll poll, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset answeredAt)
    {
        var lane = response.Video is { IsTerminal: true } ? _terminalWriters : _writers;
        await lane.WaitAsync(_stopping.Token);
        try
        {
            if (await WithWriterAsync(writer => writer.WriteAsync(poll, response, sentAt, answeredAt, _stopping.Token)))
            {
                delivery.Wake();
            }
        }
        finally
        {
            lane.Release();
        }
    }

    /// <summary>
    /// A scope (and its DbContext) only for the polls that need one: most answers are routine and go to the batch writer,
    /// and creating a DbContext costs a poll more than the rest of its work in this process.
    /// </summary>
    private async Task<T> WithWriterAsync<T>(Func<PollResultWriter, Task<T>> write)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await write(scope.ServiceProvider.GetRequiredService<PollResultWriter>());
    }

    private bool FirstRejectionThisMinute(string poeKeyId)
    {
        var now = time.GetUtcNow();
        lock (_rejectionGate)
        {
            if (_rejectionLoggedAt.TryGetValue(poeKeyId, out var last) && now - last < PoeBudget.UnauthorizedProbeInterval)
            {
                return false;
            }

            _rejectionLoggedAt[poeKeyId] = now;
            return true;
        }
    }

    private void LogPolled(PoeResponse response, ClaimedPoll poll)
    {
        switch (response.Outcome)
        {
            case PoeOutcome.Unauthorized when FirstRejectionThisMinute(poll.PoeKeyId):
                LogUnauthorized(logger, poll.PoeKeyId, poll.VideoId, PoeBudget.UnauthorizedProbeInterval);
                break;
            case PoeOutcome.Unauthorized:
                break;
            case PoeOutcome.RateLimited:
                LogRateLimited(logger, poll.PoeKeyId, poll.VideoId, response.RetryAfter);
                break;
            case PoeOutcome.Transient:
                LogTransient(logger, poll.VideoId, response.Code, poll.FailureCount + 1);
                break;
            default:
                LogVideo(logger, poll.VideoId, response.Video?.Status ?? "not_found", response.Video?.Progress);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Polled video {VideoId}: {VideoStatus} {Progress}%")]
    private static partial void LogVideo(ILogger logger, string videoId, string videoStatus, int? progress);

    // Logged at most once a minute per key: a rejected key is probed at most once a minute, and a burst of 401s logs once.
    [LoggerMessage(Level = LogLevel.Error, Message = "Poe rejected key {PoeKeyId} (401) polling video {VideoId}; polling with it pauses, re-probed every {ProbeInterval}")]
    private static partial void LogUnauthorized(ILogger logger, string poeKeyId, string videoId, TimeSpan probeInterval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poe rate-limited key {PoeKeyId} (429) polling video {VideoId}; Retry-After {RetryAfter}")]
    private static partial void LogRateLimited(ILogger logger, string poeKeyId, string videoId, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling video {VideoId} failed ({Failure}), attempt {FailureCount}; backing off")]
    private static partial void LogTransient(ILogger logger, string videoId, string failure, int failureCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling video {VideoId} with key {PoeKeyId} could not be recorded")]
    private static partial void LogPollFailed(ILogger logger, string videoId, string poeKeyId, Exception exception);
}
