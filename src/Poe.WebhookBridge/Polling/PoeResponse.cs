namespace Poe.WebhookBridge.Polling;

/// <summary>How one <c>GET /v1/videos/{id}</c> ended, classified the way SPEC §3 treats it.</summary>
public enum PoeOutcome
{
    /// <summary>200 with a well-formed video object of a known status.</summary>
    Video,
    Unauthorized,
    NotFound,
    RateLimited,

    /// <summary>5xx, time-out, connection error, malformed body, unknown status: retried with back-off, never surfaced.</summary>
    Transient,
}

/// <param name="Code">The response code, or the failure kind (<c>timeout</c>, <c>connection_error</c>, <c>malformed</c>, <c>unknown_status</c>), for metrics and logs.</param>
public sealed record PoeResponse(PoeOutcome Outcome, string Code, VideoSnapshot? Video = null, TimeSpan? RetryAfter = null, PoeRateHints? Hints = null)
{
    public static PoeResponse Transient(string code, PoeRateHints? hints = null) => new(PoeOutcome.Transient, code, Hints: hints);
}

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

/// <summary>Poe's <c>x-ratelimit-*</c> headers: how many requests the key has left and when its window resets.</summary>
public sealed record PoeRateHints(int? Remaining, TimeSpan? Reset);
