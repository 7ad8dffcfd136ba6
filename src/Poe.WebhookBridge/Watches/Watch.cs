namespace Poe.WebhookBridge.Watches;

/// <summary>A consumer's request to be told when one Poe video ends.</summary>
public sealed class Watch
{
    public required string Id { get; init; }

    public required string ClientName { get; init; }

    public required string VideoId { get; init; }

    public required string CallbackUrl { get; init; }

    public required string PoeKeyId { get; init; }

    public required string[] Events { get; init; }

    public required Dictionary<string, string> Metadata { get; init; }

    public string Status { get; set; } = WatchStatus.Active;

    /// <summary>The last video object Poe returned, as JSON.</summary>
    public string? Video { get; set; }

    public int PollCount { get; set; }

    public DateTimeOffset? LastPolledAt { get; set; }

    /// <summary>
    /// The count of the video's poll target (<see cref="PollTally"/>) that <see cref="PollCount"/>,
    /// <see cref="LastPolledAt"/> and <see cref="Video"/> include. A poll writes its target only, not each watch of the
    /// video; an active watch takes the polls counted since in when it is read or ends (<see cref="CatchUp"/>).
    /// </summary>
    public int PollBase { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? FailureReason { get; set; }

    public string? FailureMessage { get; set; }

    /// <summary>
    /// Takes in what the video's target counted since <see cref="PollBase"/>, while the watch is active (an ended watch
    /// keeps what it had). The rule of <see cref="WatchRows.CatchUp"/>, applied to a watch read with its target's tally.
    /// </summary>
    public Watch CatchUp(PollTally? tally)
    {
        if (Status == WatchStatus.Active && tally is not null && tally.Count > PollBase)
        {
            PollCount += tally.Count - PollBase;
            PollBase = tally.Count;
            LastPolledAt = tally.LastSentAt;
            Video = tally.Video ?? Video;
        }

        return this;
    }
}
