using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// Stores what one poll found, in one transaction: the video state of every active watch of the video, the events it
/// causes, and when to poll next. Only the holder of the claim may write (its lease is the fencing token), so a poll
/// that outlived its lease cannot overwrite a newer one.
/// </summary>
public sealed class PollResultWriter(BridgeDbContext db, VideoPolls videoPolls, IOptions<PollingOptions> polling, PollPlanner planner, TimeProvider time, ILogger<PollResultWriter> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private (VideoSnapshot Video, EndEstimate? Estimate)? _finished;

    /// <param name="sentAt">When the request went out: what the watches show as their last poll, and what a 429 is judged by.</param>
    /// <param name="answeredAt">When its answer arrived (or the client gave up): the next poll is timed from here.</param>
    /// <returns>Whether webhook events were written (so delivery should wake up).</returns>
    public async Task<bool> WriteAsync(ClaimedPoll poll, PoeResponse response, DateTimeOffset sentAt, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await VideoPolls.LockClaimAsync(Connection, Transaction, poll, cancellationToken))
        {
            return false;
        }

        await PoeBudget.LearnAsync(Connection, Transaction, poll.PoeKeyId, response, sentAt, now, cancellationToken);
        List<Watch> watches = [];
        if (response.Outcome is PoeOutcome.Video or PoeOutcome.NotFound or PoeOutcome.Transient)
        {
            // Counted, and caught up by the active watches, before they are read: the catch-up locks them, so none ends
            // elsewhere (a cancel) between this read and this transaction's writes, and any that ends here keeps its
            // counts. Read untracked: every change of a watch is WatchRows'.
            var videoJson = response.Outcome == PoeOutcome.Video ? response.Video!.RawJson : null;
            await using var count = new NpgsqlBatch(Connection, Transaction);
            VideoPolls.AddCount(count, poll, sentAt, videoJson);
            WatchRows.AddCatchUp(count, poll.PoeKeyId, poll.VideoId);
            await RunAsync(count, cancellationToken);
            watches = await db.Watches
                .Where(w => w.PoeKeyId == poll.PoeKeyId && w.VideoId == poll.VideoId && w.Status == WatchStatus.Active).ToListAsync(cancellationToken);
        }

        // The watches' and events' writes, sent together just before the commit.
        await using var writes = new NpgsqlBatch(Connection, Transaction);
        var events = response.Outcome switch
        {
            PoeOutcome.Video when response.Video!.IsTerminal => await EndAsync(writes, poll, watches, response.Video, now, cancellationToken),
            PoeOutcome.Video => await ProgressAsync(writes, poll, watches, response.Video!, sentAt, answeredAt, now, cancellationToken),
            PoeOutcome.NotFound => await NotFoundAsync(writes, poll, watches, answeredAt, now, cancellationToken),
            PoeOutcome.Transient => await BackOffAsync(poll, answeredAt, cancellationToken),
            _ => await ReleaseAsync(poll, cancellationToken),
        };
        await RunAsync(writes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var ended in watches.Where(w => w.Status != WatchStatus.Active))
        {
            WatchLog.Ended(logger, ended);
        }

        // Learned after the commit, in a statement of its own: every video of one model and length updates the same
        // row, and holding its lock in the terminal transaction made such videos' ends wait for one another.
        if (_finished is ({ } finished, var estimate))
        {
            await LearnDurationAsync(finished, estimate, cancellationToken);
        }

        return events > 0;
    }

    // The poll target's statements (VideoPolls) run on this context's connection, inside its transaction.
    private NpgsqlConnection Connection => db.Database.Connection();

    private NpgsqlTransaction Transaction => db.Database.CurrentTransaction!.Npgsql();

    private static async Task RunAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<int> EndAsync(NpgsqlBatch writes, ClaimedPoll poll, List<Watch> watches, VideoSnapshot video, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var type = video.Status == VideoSnapshot.Completed ? WatchEventTypes.VideoCompleted : WatchEventTypes.VideoFailed;
        var events = 0;
        foreach (var watch in watches)
        {
            watch.Status = video.Status == VideoSnapshot.Completed ? WatchStatus.Completed : WatchStatus.Failed;
            watch.EndedAt = now;
            watch.Video = video.RawJson;
            events += WebhookEvents.AddIfSubscribed(writes, watch, type, now, video.RawJson);
        }

        if (watches.Count > 0)
        {
            WatchRows.AddEnd(writes, watches);
            WebhookEvents.AddDropUnsentProgress(writes, [.. watches.Select(w => w.Id)], now);
        }

        _finished = (video, await VideoPolls.DeleteAsync(Connection, Transaction, poll, cancellationToken));
        return events;
    }

    private async Task<int> ProgressAsync(
        NpgsqlBatch writes, ClaimedPoll poll, List<Watch> watches, VideoSnapshot video, DateTimeOffset sentAt, DateTimeOffset answeredAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var watch in watches)
        {
            watch.Video = video.RawJson;
        }

        var events = RoutinePoll.HasChanged(poll, video)
            ? await WebhookEvents.RecordProgressAsync(Connection, Transaction, writes, watches, video.RawJson, now, cancellationToken)
            : 0;

        // The same statement as the batched routine polls, in this transaction: the claim is locked, its lease current.
        var plan = RoutinePoll.Plan(planner, poll, video, sentAt, answeredAt);
        writes.BatchCommands.Add(videoPolls.StorePolls([plan], counted: true));
        return events;
    }

    /// <summary>
    /// Feeds adaptive polling's prior with what this video took, by Poe's own clock, and with how far off the last
    /// estimate of its end was, in units of that estimate's spread.
    /// </summary>
    private async Task LearnDurationAsync(VideoSnapshot video, EndEstimate? estimate, CancellationToken cancellationToken)
    {
        if (video is not { Status: VideoSnapshot.Completed, Model: { } model, Seconds: { } seconds, CreatedAt: { } created, CompletedAt: { } completed }
            || completed < created || model.Length > 100 || seconds.Length > 16)
        {
            return;
        }

        // Running means that weigh the last ~50 videos, so a model that gets faster or slower is followed.
        var took = (completed - created).TotalSeconds;
        var (estimated, surprise) = estimate is { ExpectedEndAt: { } expected, SpreadSeconds: { } spread and > 0 }
            ? (true, Math.Min(Math.Pow((completed - expected).TotalSeconds / spread, 2), 100))
            : (false, 1.0);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO bridge.duration_stats (model, video_seconds, samples, mean_seconds, deviation_seconds, surprise)
            VALUES ({model}, {seconds}, 1, {took}, 0, {surprise})
            ON CONFLICT (model, video_seconds) DO UPDATE SET
                samples = duration_stats.samples + 1,
                mean_seconds = duration_stats.mean_seconds + ({took} - duration_stats.mean_seconds) / LEAST(duration_stats.samples + 1, 50),
                deviation_seconds = duration_stats.deviation_seconds
                    + (abs({took} - duration_stats.mean_seconds) - duration_stats.deviation_seconds) / LEAST(duration_stats.samples + 1, 50),
                surprise = CASE WHEN {estimated} THEN duration_stats.surprise + ({surprise} - duration_stats.surprise) / LEAST(duration_stats.samples + 1, 50)
                    ELSE duration_stats.surprise END
            """, cancellationToken);
    }

    private async Task<int> NotFoundAsync(NpgsqlBatch writes, ClaimedPoll poll, List<Watch> watches, DateTimeOffset answeredAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = 0;
        var grace = polling.Value.NotFoundGracePeriod;
        foreach (var watch in watches.Where(w => w.CreatedAt + grace <= now))
        {
            events += WatchFailures.Fail(writes, watch, WatchFailures.VideoNotFound, now);
        }

        if (watches.All(w => w.Status != WatchStatus.Active))
        {
            await VideoPolls.DeleteAsync(Connection, Transaction, poll, cancellationToken);
        }
        else
        {
            await videoPolls.ScheduleAsync(Connection, Transaction, poll, answeredAt + polling.Value.Interval, failureCount: 0, answeredAt, cancellationToken);
        }

        return events;
    }

    private async Task<int> BackOffAsync(ClaimedPoll poll, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        var failures = poll.FailureCount + 1;
        var delay = TimeSpan.FromTicks((long)Math.Min(polling.Value.Interval.Ticks * Math.Pow(2, failures - 1), Math.Max(MaxBackoff.Ticks, polling.Value.Interval.Ticks)));
        await videoPolls.ScheduleAsync(Connection, Transaction, poll, answeredAt + delay, failures, answeredAt, cancellationToken);
        return 0;
    }

    private async Task<int> ReleaseAsync(ClaimedPoll poll, CancellationToken cancellationToken)
    {
        await VideoPolls.ReleaseAsync(Connection, Transaction, poll, cancellationToken);
        return 0;
    }
}
