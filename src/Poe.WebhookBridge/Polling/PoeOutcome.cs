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
