namespace Poe.WebhookBridge.Polling;

/// <summary>The parts of Poe's video object the bridge acts on, plus the JSON exactly as Poe sent it.</summary>
public sealed record VideoSnapshot(string Status, int? Progress, string RawJson)
{
    /// <summary>Poe's <c>model</c> and <c>seconds</c>: videos alike in both take alike long, which adaptive polling learns.</summary>
    public string? Model { get; init; }

    public string? Seconds { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public static readonly string[] KnownStatuses = [Queued, InProgress, Completed, Failed];

    public bool IsTerminal => Status is Completed or Failed;
}
