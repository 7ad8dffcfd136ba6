namespace Poe.WebhookBridge.Polling;

internal static class PollSchedule
{
    /// <summary>
    /// Makes sure a video is polled for a new watch: creates its poll target due at <c>@first_poll_at</c> (<c>@now</c>,
    /// unless the planner defers it), or pulls an existing one forward to then — but never closer than <c>@interval</c>
    /// after its last poll. Returns <c>next_poll_at</c>. Also takes <c>@poe_key_id</c> and <c>@video_id</c>, and does
    /// nothing unless <paramref name="condition"/> holds. Run it before inserting the watch in the same transaction (in
    /// one statement, insert the watch from its RETURNING row): the row lock it takes orders this registration against a
    /// concurrent terminal write-back.
    /// </summary>
    public static string Upsert(string condition) => $"""
        INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, failure_count, created_at)
        SELECT @poe_key_id, @video_id, @first_poll_at, 0, @now WHERE {condition}
        ON CONFLICT (poe_key_id, video_id) DO UPDATE
        SET next_poll_at = CASE
            WHEN video_polls.claimed_until > @now THEN video_polls.next_poll_at -- being polled right now
            ELSE LEAST(video_polls.next_poll_at, GREATEST(@first_poll_at, COALESCE(video_polls.last_polled_at + @interval, @first_poll_at)))
        END
        RETURNING next_poll_at
        """;
}
