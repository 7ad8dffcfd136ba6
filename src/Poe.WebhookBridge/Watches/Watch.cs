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

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? FailureReason { get; set; }

    public string? FailureMessage { get; set; }
}
