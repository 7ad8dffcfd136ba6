using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Polling;

internal static class PollSchedule
{
    /// <summary>
    /// Makes sure a video is polled for a new watch: creates its poll target due at <paramref name="firstPollAt"/>
    /// (now, unless the planner defers it), or pulls an existing one forward to then — but never closer than one
    /// interval after its last poll. Call it before inserting the watch in the same transaction: the row lock it takes
    /// orders this registration against a concurrent terminal write-back.
    /// </summary>
    public static async Task<DateTimeOffset> EnsureScheduledAsync(
        this BridgeDbContext db, string poeKeyId, string videoId, DateTimeOffset now, DateTimeOffset firstPollAt, TimeSpan interval, CancellationToken cancellationToken)
    {
        var due = await db.Database.SqlQuery<DateTimeOffset>($"""
            INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, failure_count, created_at)
            VALUES ({poeKeyId}, {videoId}, {firstPollAt}, 0, {now})
            ON CONFLICT (poe_key_id, video_id) DO UPDATE
            SET next_poll_at = CASE
                WHEN video_polls.claimed_until > {now} THEN video_polls.next_poll_at -- being polled right now
                ELSE LEAST(video_polls.next_poll_at, GREATEST({firstPollAt}, COALESCE(video_polls.last_polled_at + {interval}, {firstPollAt})))
            END
            RETURNING next_poll_at AS "Value"
            """).ToListAsync(cancellationToken);
        return due[0];
    }
}
