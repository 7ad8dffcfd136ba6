namespace Poe.WebhookBridge.Watches;

/// <summary>
/// What a video's poll target counted of its polls (<c>video_polls.poll_count</c>, <c>poll_sent_at</c>, and
/// <c>video_objects.video</c>):
/// every active watch of the video shares them, so a poll writes one row however many watches wait, and the watches'
/// own rows are not rewritten per poll (at 1M watches, each such write was a random page of the largest table).
/// </summary>
/// <param name="Count">Polls that got an answer, since the target was created.</param>
/// <param name="LastSentAt">When the last of them was sent.</param>
/// <param name="Video">The last video object Poe returned, verbatim; null until one did.</param>
public sealed record PollTally(int Count, DateTimeOffset? LastSentAt, string? Video);
