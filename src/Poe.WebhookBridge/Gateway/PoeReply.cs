using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Gateway;

public enum PoeReplyKind
{
    /// <summary>Poe answered with a status and a body.</summary>
    Answered,

    /// <summary>No connection could be made: the request never left, so Poe made nothing.</summary>
    NotSent,

    /// <summary>Sent, but no answer came (time-out, broken connection): Poe may have acted on it.</summary>
    Lost,
}

/// <summary>How one gateway request to Poe ended.</summary>
/// <param name="Code">The status code, or <c>timeout</c> / <c>connection_error</c>, for metrics.</param>
public sealed record PoeReply(PoeReplyKind Kind, string Code, int Status = 0, string Body = "")
{
    /// <summary>Poe's <c>Retry-After</c> as it sent it.</summary>
    public string? RetryAfter { get; init; }

    public TimeSpan? RetryAfterDelay { get; init; }

    public PoeRateHints? Hints { get; init; }

    public bool IsSuccess => Kind == PoeReplyKind.Answered && Status is >= 200 and < 300;
}
